import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { skopeoDigest } from '../sandbox/skopeo';
import { camelCase } from '../../shared/inputs/definition';
import { runActionBundle, runTaskBundle, stepFolders, type BundleRun } from '../support/bundles';
import { requireNpmTool } from '../support/preflight';
import { referencePath } from '../reference';

// The steps run on Node 24 (action.yml `using: node24`; ADO agents pick the task's Node24 handler), the tests on the
// Node 20 that runs jest. The shipped bundles, started by a real Node 24 as the runners start them: every bundle stops
// at its input error with the same line as on Node 20, a push lands what skopeo reads back, and the gate writes the
// same SARIF, JUnit and JSON bytes on both (on Node 24 it also gives the report's memory back before writing them,
// shared/util/files.ts releaseBuffer — a path Node 20 does not take).
const node24 = requireNpmTool('node24');
jest.setTimeout(60_000);

let harbor: HarborEmulator;
const work = mkdtempSync(join(tmpdir(), 'node24-bundles-'));
beforeAll(async () => {
  harbor = await startHarborEmulator({ projects: [{ name: 'library', public: true }] });
}, 30_000);
afterAll(async () => {
  await harbor?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('the Node binary is a real 24.x', () => {
  expect(spawnSync(node24, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()).toMatch(/^24\./);
});

/** stdout without what differs from run to run (temp paths). */
const stable = (run: BundleRun) => ({ code: run.code, stdout: run.stdout.replace(/\/tmp\/[^\s'"]+/g, '<tmp>') });

describe.each(stepFolders('actions'))('action %s on Node 24', (id) => {
  it('stops at its first input error exactly as on Node 20', async () => {
    const [on20, on24] = await Promise.all([runActionBundle(id, {}), runActionBundle(id, {}, { node: node24 })]);
    expect(on24.stderr).toBe('');
    expect(on24.code).toBe(1);
    expect(stable(on24)).toEqual(stable(on20));
  });
});

describe.each(stepFolders('tasks'))('task %s on Node 24', (task) => {
  it('stops at its first input error exactly as on Node 20', async () => {
    const [on20, on24] = await Promise.all([runTaskBundle(task, {}), runTaskBundle(task, {}, { node: node24 })]);
    expect(on24.stderr).toBe('');
    expect(on24.stdout).toMatch(/##vso\[task\.complete result=Failed;\]/);
    expect(stable(on24)).toEqual(stable(on20));
  });
});

describe('push on Node 24', () => {
  it.each([
    ['action', (inputs: Record<string, string>) => runActionBundle('push', inputs, { node: node24 })],
    [
      'task',
      (inputs: Record<string, string>) =>
        runTaskBundle('HarborPush', Object.fromEntries(Object.entries(inputs).map(([k, v]) => [camelCase(k), v])), {
          node: node24,
          endpoints: {
            harbor: {
              url: harbor.url,
              scheme: 'UsernamePassword',
              parameters: { username: harbor.admin.username, password: harbor.admin.password },
            },
          },
        }),
    ],
  ])('%s: an OCI layout lands with its digest, and a re-push sends nothing again', async (kind, push) => {
    const image = makeImage({ layers: 2, seed: `node24-${kind}` });
    const inputs = {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      harborConnection: 'harbor',
      project: 'library',
      repository: `node24-${kind}`,
      tags: 'v1',
      source: `oci:${image.dir}`,
    };
    const first = await push(inputs);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.outputs.digest).toBe(image.digest);
    expect(
      await skopeoDigest(`docker://${harbor.host}/library/node24-${kind}:v1`, { host: harbor.host, ...harbor.admin }),
    ).toBe(image.digest);
    const again = await push(inputs);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Layers: 0 uploaded, 2 skipped/);
  });
});

describe('trivy-gate on Node 24', () => {
  it('writes the same SARIF, JUnit and JSON bytes as on Node 20', async () => {
    const outputs = (node: string) => ({
      'report-file': referencePath('trivy', 'debian-buster.json'),
      'fail-on': 'none',
      'sarif-file': join(work, `${node}.sarif`),
      'junit-file': join(work, `${node}.xml`),
      'json-file': join(work, `${node}.json`),
    });
    const [on20, on24] = await Promise.all([
      runActionBundle('trivy-gate', outputs('node20')),
      runActionBundle('trivy-gate', outputs('node24'), { node: node24 }),
    ]);
    expect(on24.stderr).toBe('');
    expect(on24.code).toBe(0);
    expect(on24.outputs).toEqual(on20.outputs);
    expect(on24.outputs.total).not.toBe('0');
    for (const ext of ['sarif', 'xml', 'json'])
      expect(readFileSync(join(work, `node24.${ext}`))).toEqual(readFileSync(join(work, `node20.${ext}`)));
  });
});
