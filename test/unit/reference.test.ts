import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REFERENCE_ENV, REFERENCE_FILES, referenceNames, referencePath, referenceProblem, sha256 } from '../reference';

const ROOT = join(__dirname, '..', '..');

describe('reference files: one resolver, pinned by sha256', () => {
  const saved = process.env[REFERENCE_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[REFERENCE_ENV];
    else process.env[REFERENCE_ENV] = saved;
  });

  it('every manifest entry names an upstream URL at a fixed 40-hex commit and a sha256', () => {
    for (const file of REFERENCE_FILES) {
      expect(file.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\/.+/);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(REFERENCE_FILES.map((f) => f.path)).size).toBe(REFERENCE_FILES.length);
  });

  it('finds a file in the folder the variable names first, and refuses a path that is not pinned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-'));
    const target = join(dir, 'trivy', 'npm.json');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, '{}');
    process.env[REFERENCE_ENV] = dir;
    expect(referencePath('trivy', 'npm.json')).toBe(target);
    expect(() => referencePath('trivy', 'not-pinned.json')).toThrow(/not in test\/reference\/manifest.json/);
    expect(referenceNames('trivy')).toContain('npm.json');
    expect(referenceNames('trivy')).not.toContain('sarif/alpine-310.sarif.json');
  });

  it('names the first missing file and the command that gets it, in one line', () => {
    const empty = mkdtempSync(join(tmpdir(), 'reference-'));
    const line = referenceProblem([empty]) ?? '';
    expect(line).toBe(
      `Reference file '${REFERENCE_FILES[0].path}' not found: run \`npm run reference\` (downloads the pinned files into .cache/reference), ` +
        `or set ${REFERENCE_ENV} to a folder that holds them`,
    );
  });

  it('refuses a file whose content differs from the pinned sha256', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-'));
    const first = REFERENCE_FILES[0];
    mkdirSync(dirname(join(dir, first.path)), { recursive: true });
    writeFileSync(join(dir, first.path), 'not the pinned content');
    expect(referenceProblem([dir])).toMatch(
      new RegExp(`^Reference file '${first.path}' at .* does not match its pinned sha256`),
    );
    expect(sha256(Buffer.from('not the pinned content'))).not.toBe(first.sha256);
  });

  it('no test, script or sandbox module looks for reference files any other way', () => {
    const grep = spawnSync(
      'git',
      [
        'grep',
        '-l',
        '-E',
        String.raw`shared/reference|'shared', 'reference'|HARBOR_REFERENCE_DIR`,
        '--',
        '.',
        ':!test/unit/reference.test.ts',
        ':!.ci/run',
        ':!**/dist/**',
        ':!*.md',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(grep.stdout.split('\n').filter(Boolean)).toEqual([]);
    expect(grep.status).toBe(1);
  });
});
