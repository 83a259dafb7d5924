/**
 * The pinned act (scripts/tools.json) as a second, independent parser of every workflow we ship or document: the
 * repository's CI (.github/workflows), the documented examples (examples/github) and the act fixtures. `act --validate
 * --strict` checks each file against act's strict workflow schema (act pkg/schema) without running anything, Docker
 * or network; `act --list` then shows the jobs act would plan.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/bundles';
import { requireGoTool } from '../support/tools';

const folders = ['.github/workflows', 'examples/github', 'test/fixtures/act'];
const workflows = folders.flatMap((folder) =>
  readdirSync(join(ROOT, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${folder}/${f}`),
);

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'act-validate-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function act(args: string[]): { code: number; stdout: string; output: string } {
  const result = spawnSync(requireGoTool('act'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    // act's config and cache stay in a scratch home; no Docker is needed to validate or list.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      NO_COLOR: '1',
    },
    timeout: 120_000,
  });
  return { code: result.status ?? 1, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

describe.each(workflows)('act on %s', (file) => {
  it('validates against act’s strict workflow schema', () => {
    const { code, output } = act(['--validate', '--strict', '--workflows', file]);
    expect({ code, errors: output.split('\n').filter((l) => /error|not valid/i.test(l)) }).toEqual({
      code: 0,
      errors: [],
    });
  });

  it('lists every job of the file', () => {
    const { code, stdout } = act(['--list', '--workflows', file]);
    expect(code).toBe(0);
    const jobs = Object.keys((parse(readFileSync(join(ROOT, file), 'utf8')) as { jobs: object }).jobs);
    // stdout is a table: a header, then one row per job (stage, job id, job name, …).
    const listed = stdout
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[1])
      .filter(Boolean);
    expect(listed.sort()).toEqual([...jobs].sort());
  });
});

it('act’s validation is not vacuous: an unknown job key fails', () => {
  const bad = join(home, 'bad.yml');
  writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo hi\n');
  const { code, output } = act(['--validate', '--strict', '--workflows', bad]);
  expect(code).not.toBe(0);
  expect(output).toContain('Unknown Property stepz');
});
