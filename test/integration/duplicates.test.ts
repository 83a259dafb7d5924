/**
 * The repository's duplicate-code scan (`npm run duplicates`: jscpd with .jscpd.json over shared/, actions/, tasks/,
 * scripts/ and test/sandbox; definition data tables aside) finds no clone, and the same configuration does fail on a
 * planted one, so the check cannot pass by reading nothing.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const jscpd = join(root, 'node_modules/jscpd/bin/jscpd');

function scan(cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [jscpd, '--config', '.jscpd.json'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

// jscpd reads the whole tree; under a loaded machine that takes a while (a limit, not an assertion).
jest.setTimeout(300_000);

describe('duplicate-code scan', () => {
  it('finds no clone in the scanned folders', async () => {
    const { code, output } = await scan(root);
    expect(output).toMatch(/Found 0 clones/);
    expect(code).toBe(0);
  });

  it('fails, naming both places, when two files share a block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duplicates-'));
    try {
      cpSync(join(root, '.jscpd.json'), join(dir, '.jscpd.json'));
      const config = JSON.parse(readFileSync(join(dir, '.jscpd.json'), 'utf8')) as { path: string[] };
      const block = readFileSync(join(root, 'shared/util/poll.ts'), 'utf8');
      for (const folder of config.path) mkdirSync(join(dir, folder), { recursive: true });
      mkdirSync(join(dir, 'shared/a'), { recursive: true });
      writeFileSync(join(dir, 'shared/a/poll-copy.ts'), block);
      writeFileSync(join(dir, 'scripts/poll-again.ts'), block);
      expect(config.path).toEqual(expect.arrayContaining(['shared', 'scripts']));
      const { code, output } = await scan(dir);
      expect(code).toBe(1);
      expect(output).toContain('shared/a/poll-copy.ts');
      expect(output).toContain('scripts/poll-again.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
