/**
 * Packaging stamps the release into the staging folder (never into committed files): every task's version moves with
 * the extension version, and the release listing is public with the user overview, licence and links while the dev
 * one stays private. Stages only (no tfx, no bundles), so it stays fast.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseNumber, stageExtension } from '../../scripts/package';
import { loadCapabilities, ROOT } from '../../scripts/manifests';

type Version = { Major: number; Minor: number; Patch: number };
const tmp = mkdtempSync(join(tmpdir(), 'hp-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function stage(flavor: 'release' | 'dev', version: string) {
  const dir = stageExtension(flavor, { version, staging: join(tmp, `${flavor}-${version}`), bundles: false });
  const manifest = JSON.parse(readFileSync(join(dir, 'vss-extension.json'), 'utf8')) as Record<string, any>;
  const tasks = new Map<string, Version>();
  for (const name of readdirSync(join(dir, 'tasks'))) {
    tasks.set(
      name,
      (JSON.parse(readFileSync(join(dir, 'tasks', name, 'task.json'), 'utf8')) as { version: Version }).version,
    );
  }
  return { dir, manifest, tasks };
}

describe('release number', () => {
  it('grows with every extension version and refuses what it cannot order', () => {
    const order = ['0.1.0', '0.1.1', '0.2.0', '0.999.999', '1.0.0', '1.2.3', '2.0.0'].map(releaseNumber);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(releaseNumber('1.2.3')).toBe(1002003);
    expect(() => releaseNumber('1.2.3-beta')).toThrow(/not X\.Y\.Z/);
    expect(() => releaseNumber('1.1000.0')).toThrow(/below 1000/);
  });
});

describe('two releases', () => {
  it('change every task version, keep the major pipelines pin, and leave committed task.json untouched', () => {
    const committed = Object.fromEntries(
      readdirSync(join(ROOT, 'tasks'))
        .filter((n) => n.startsWith('Harbor'))
        .map((n) => [n, readFileSync(join(ROOT, 'tasks', n, 'task.json'), 'utf8')]),
    );
    const first = stage('release', '0.1.0');
    const second = stage('release', '0.1.1');
    expect(first.manifest.version).toBe('0.1.0');
    expect(second.manifest.version).toBe('0.1.1');
    expect([...first.tasks.keys()].sort()).toEqual(Object.keys(committed).sort());
    for (const [name, before] of first.tasks) {
      const after = second.tasks.get(name)!;
      const pinned = (JSON.parse(committed[name]) as { version: Version }).version;
      expect({ name, major: before.Major }).toEqual({ name, major: pinned.Major });
      expect(after.Major).toBe(before.Major);
      expect(after.Patch).toBeGreaterThan(before.Patch);
      expect(`${after.Major}.${after.Minor}.${after.Patch}`).not.toBe(
        `${before.Major}.${before.Minor}.${before.Patch}`,
      );
      expect(readFileSync(join(ROOT, 'tasks', name, 'task.json'), 'utf8')).toBe(committed[name]);
    }
    // The dev flavour is stamped the same way.
    const dev = stage('dev', '0.1.1');
    for (const [name, v] of dev.tasks) expect(v).toEqual(second.tasks.get(name));
  });
});

describe('listing', () => {
  it('release is public with the user overview, the licence and links; dev stays private', () => {
    const release = stage('release', '0.1.0');
    const dev = stage('dev', '0.1.0');
    expect(release.manifest.public).toBe(true);
    expect(dev.manifest.public).toBe(false);
    for (const { dir, manifest } of [release, dev]) {
      expect(manifest.content).toEqual({ details: { path: 'overview.md' }, license: { path: 'LICENSE' } });
      expect(readFileSync(join(dir, 'overview.md'), 'utf8')).toBe(
        readFileSync(join(ROOT, 'docs', 'marketplace-overview.md'), 'utf8'),
      );
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
      for (const key of ['home', 'getstarted', 'support', 'repository', 'license']) {
        expect(manifest.links?.[key]?.uri).toMatch(/^https:\/\//);
      }
    }
    const overview = readFileSync(join(ROOT, 'docs', 'marketplace-overview.md'), 'utf8');
    expect(overview).not.toBe(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    // Links work from the marketplace page: absolute only.
    for (const [, target] of overview.matchAll(/\]\(([^)]+)\)/g)) expect(target).toMatch(/^https:\/\//);
    // One example per task, each using only inputs the task really has.
    for (const name of release.tasks.keys()) {
      const inputs = new Set(
        (
          JSON.parse(readFileSync(join(ROOT, 'tasks', name, 'task.json'), 'utf8')) as { inputs: { name: string }[] }
        ).inputs.map((i) => i.name),
      );
      const block = new RegExp('- task: ' + name + '@\\d+\\n(?:.*\\n)*?\\s+inputs:\\n((?:\\s{4,}.*\\n)+)').exec(
        overview,
      );
      expect({ name, found: !!block }).toEqual({ name, found: true });
      for (const [, key] of block![1].matchAll(/^\s{4}(\w+):/gm))
        expect({ name, key, known: inputs.has(key) }).toEqual({ name, key, known: true });
    }
  });
});

describe('short descriptions', () => {
  it('every step has one within GitHub listing limit (125 characters), used as the action description', () => {
    for (const { definition: def } of loadCapabilities()) {
      if (!def.shortDescription) throw new Error(`${def.id} has no shortDescription`);
      expect({ id: def.id, length: def.shortDescription.length <= 125 && def.shortDescription.length > 20 }).toEqual({
        id: def.id,
        length: true,
      });
      expect(readFileSync(join(ROOT, 'actions', def.id, 'action.yml'), 'utf8')).toContain(
        `description: ${JSON.stringify(def.shortDescription).slice(1, -1)}`.slice(0, 60),
      );
    }
  });
});

describe('the repository root', () => {
  it('holds no extension manifest, so tfx there cannot package unstamped tasks without the overview', () => {
    expect(existsSync(join(ROOT, 'vss-extension.json'))).toBe(false);
    const out = join(tmp, 'root-vsix');
    const tfx = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/tfx-cli/_build/tfx-cli.js'),
        'extension',
        'create',
        '--root',
        ROOT,
        '--output-path',
        out,
        '--no-prompt',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(tfx.status).not.toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(`${tfx.stdout}${tfx.stderr}`).toContain('vss-extension.json');
  });
});
