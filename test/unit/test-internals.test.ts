/**
 * Benchmarks and the demo run outside jest, so they may use the sandbox (test/sandbox) and the shared test helpers
 * (test/support) but never a test's own internals (test/integration): those change with the tests, and a bench that
 * leans on them breaks silently. Followed through every relative import, so reaching test/integration through a helper
 * counts too.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from '../support/bundles';

const SOURCE = /\.(ts|js|mjs|cjs)$/;
/** Module specifiers of static imports and re-exports, dynamic imports and require calls. */
const SPECIFIERS = [
  /\bfrom\s+['"]([^'"]+)['"]/g,
  /\bimport\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined; // a package, not a file of this repository
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every file of `forbidden` reachable from `entries`, each with the import chain that reaches it. */
function forbiddenImports(entries: string[], forbidden: string): string[][] {
  const chains: string[][] = [];
  const seen = new Set<string>();
  const queue: string[][] = entries.map((file) => [file]);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1];
    if (file.startsWith(forbidden + sep)) {
      chains.push(chain);
      continue;
    }
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const pattern of SPECIFIERS) {
      for (const [, specifier] of text.matchAll(pattern)) {
        const target = resolveImport(file, specifier);
        if (target && !seen.has(target)) queue.push([...chain, target]);
      }
    }
  }
  return chains;
}

const shown = (chains: string[][], root: string) => chains.map((c) => c.map((f) => relative(root, f)).join(' → '));

describe('bench/ and scripts/ do not import test internals', () => {
  it('no file under bench/ or scripts/ reaches test/integration, directly or through a helper', () => {
    const entries = ['bench', 'scripts'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(entries.length).toBeGreaterThan(5);
    expect(shown(forbiddenImports(entries, join(ROOT, 'test', 'integration')), ROOT)).toEqual([]);
  });

  it('finds a direct and an indirect import of test/integration, and ignores packages', () => {
    const root = mkdtempSync(join(tmpdir(), 'test-internals-'));
    try {
      for (const dir of ['bench/a', 'test/integration', 'test/support'])
        mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, 'test/integration/setup.ts'), 'export const x = 1;\n');
      writeFileSync(join(root, 'test/support/helper.ts'), "export { x } from '../integration/setup';\n");
      writeFileSync(join(root, 'bench/a/direct.ts'), "import { x } from '../../test/integration/setup';\n");
      writeFileSync(join(root, 'bench/a/indirect.ts'), "const h = require('../../test/support/helper');\n");
      writeFileSync(join(root, 'bench/a/clean.ts'), "import { join } from 'node:path';\nimport 'jest';\n");
      const chains = forbiddenImports(sourceFiles(join(root, 'bench')), join(root, 'test', 'integration'));
      expect(shown(chains, root).sort()).toEqual([
        'bench/a/direct.ts → test/integration/setup.ts',
        'bench/a/indirect.ts → test/support/helper.ts → test/integration/setup.ts',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
