import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ncc = require('@vercel/ncc') as (
  entry: string,
  options: Record<string, unknown>,
) => Promise<{ code: string; assets: Record<string, { source: Buffer | string }> }>;

/** One self-contained bundle (index.js + the assets ncc relocates, e.g. task-lib's lib.json) in outDir. */
export async function bundle(entry: string, outDir: string): Promise<void> {
  const { code, assets } = await ncc(entry, {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    license: 'licenses.txt',
    // tsc checks types once for the whole tree; the bundler only transpiles.
    transpileOnly: true,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    const file = join(outDir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.source);
  }
}
