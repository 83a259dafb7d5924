/**
 * Makes the .vsix with tfx from a staging folder, stamping ids at packaging time (never by editing committed files):
 * release uses the ids in the definitions; `--dev` derives separate extension and task ids so a dev build can be
 * installed beside the released one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCapabilities, ROOT, vssExtension, taskJson } from './manifests';

/** A deterministic UUID (version 5 layout) derived from the release id, so dev ids never change between builds. */
export function devTaskId(releaseId: string): string {
  const hash = createHash('sha1').update(`harbor-pipelines-dev:${releaseId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function packageExtension(flavor: 'release' | 'dev'): string {
  const capabilities = loadCapabilities();
  const staging = join(ROOT, 'out', `staging-${flavor}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const manifest = vssExtension(capabilities.map((c) => c.definition)) as Record<string, unknown>;
  if (flavor === 'dev') {
    manifest.id = `${manifest.id as string}-dev`;
    manifest.name = `${manifest.name as string} (dev)`;
    manifest.public = false;
  }
  writeFileSync(join(staging, 'vss-extension.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(staging, 'overview.md'), readFileSync(join(ROOT, 'README.md'), 'utf8'));
  cpSync(join(ROOT, 'images'), join(staging, 'images'), { recursive: true });

  for (const { definition: def } of capabilities) {
    const dist = join(ROOT, 'tasks', def.taskName, 'dist');
    if (!existsSync(join(dist, 'index.js'))) throw new Error(`tasks/${def.taskName}/dist is missing: run npm run build first`);
    const task = taskJson(def) as Record<string, unknown>;
    if (flavor === 'dev') {
      task.id = devTaskId(def.taskId);
      task.friendlyName = `${def.friendlyName} (dev)`;
    }
    const out = join(staging, 'tasks', def.taskName);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'task.json'), JSON.stringify(task, null, 2));
    cpSync(dist, join(out, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'images', 'icon.png'), join(out, 'icon.png'));
  }

  const outDir = join(ROOT, 'out');
  const tfx = join(ROOT, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js');
  const result = execFileSync(
    process.execPath,
    [tfx, 'extension', 'create', '--root', staging, '--manifest-globs', 'vss-extension.json', '--output-path', outDir, '--no-prompt', '--json'],
    { encoding: 'utf8', env: { ...process.env, TFX_TRACE: '' } },
  );
  const path = (JSON.parse(result.slice(result.indexOf('{'))) as { path: string }).path;
  return path;
}

if (require.main === module) {
  const flavor = process.argv.includes('--dev') ? 'dev' : 'release';
  console.log(packageExtension(flavor));
}
