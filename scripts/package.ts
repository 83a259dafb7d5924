/**
 * Makes the .vsix with tfx from a staging folder, stamping ids and versions at packaging time (never by editing
 * committed files): release uses the ids in the definitions and is public; `--dev` derives separate extension and task
 * ids (and stays private) so a dev build can be installed beside the released one. Both stamp every task's version
 * from the extension version (`releaseNumber`), so every release reaches agents, which cache tasks by version.
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

/**
 * The release number stamped as every task's Patch: extension version X.Y.Z → X·1 000 000 + Y·1 000 + Z (0.1.0 → 1000,
 * 1.2.3 → 1002003). It grows with every release because the extension version does (the marketplace refuses a version
 * that does not), so an agent that cached `HarborPush@1` sees a newer task after every release.
 */
export function releaseNumber(extensionVersion: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(extensionVersion);
  if (!m)
    throw new Error(
      `extension version '${extensionVersion}' is not X.Y.Z (the marketplace takes no pre-release suffix)`,
    );
  const [major, minor, patch] = m.slice(1).map(Number);
  if (minor > 999 || patch > 999)
    throw new Error(`extension version '${extensionVersion}': minor and patch must stay below 1000`);
  return major * 1_000_000 + minor * 1_000 + patch;
}

export interface StageOptions {
  /** The extension version; defaults to package.json's. */
  version?: string;
  /** The staging folder; defaults to out/staging-<flavor>. */
  staging?: string;
  /** Copy the built task bundles (tfx needs them; the stamping test does not). */
  bundles?: boolean;
}

/** Writes the staging folder tfx packages: manifest, overview, licence, images, and each task with its stamped task.json. */
export function stageExtension(flavor: 'release' | 'dev', options: StageOptions = {}): string {
  const capabilities = loadCapabilities();
  const staging = options.staging ?? join(ROOT, 'out', `staging-${flavor}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const manifest = vssExtension(capabilities.map((c) => c.definition)) as Record<string, unknown>;
  const version = options.version ?? (manifest.version as string);
  const release = releaseNumber(version);
  manifest.version = version;
  manifest.public = flavor === 'release';
  if (flavor === 'dev') {
    manifest.id = `${manifest.id as string}-dev`;
    manifest.name = `${manifest.name as string} (dev)`;
  }
  writeFileSync(join(staging, 'vss-extension.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(staging, 'overview.md'), readFileSync(join(ROOT, 'docs', 'marketplace-overview.md'), 'utf8'));
  cpSync(join(ROOT, 'LICENSE'), join(staging, 'LICENSE'));
  cpSync(join(ROOT, 'images'), join(staging, 'images'), { recursive: true });

  for (const { definition: def } of capabilities) {
    const dist = join(ROOT, 'tasks', def.taskName, 'dist');
    const bundles = options.bundles ?? true;
    if (bundles && !existsSync(join(dist, 'index.js')))
      throw new Error(`tasks/${def.taskName}/dist is missing: run npm run build first`);
    const task = taskJson(def) as Record<string, unknown>;
    task.version = { Major: def.version.major, Minor: def.version.minor, Patch: release };
    if (flavor === 'dev') {
      task.id = devTaskId(def.taskId);
      task.friendlyName = `${def.friendlyName} (dev)`;
    }
    const out = join(staging, 'tasks', def.taskName);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'task.json'), JSON.stringify(task, null, 2));
    if (bundles) cpSync(dist, join(out, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'images', 'icon.png'), join(out, 'icon.png'));
  }
  return staging;
}

export function packageExtension(flavor: 'release' | 'dev'): string {
  const staging = stageExtension(flavor);

  const outDir = join(ROOT, 'out');
  const tfx = join(ROOT, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js');
  const result = execFileSync(
    process.execPath,
    [
      tfx,
      'extension',
      'create',
      '--root',
      staging,
      '--manifest-globs',
      'vss-extension.json',
      '--output-path',
      outDir,
      '--no-prompt',
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, TFX_TRACE: '' } },
  );
  const path = (JSON.parse(result.slice(result.indexOf('{'))) as { path: string }).path;
  return path;
}

if (require.main === module) {
  const flavor = process.argv.includes('--dev') ? 'dev' : 'release';
  console.log(packageExtension(flavor));
}
