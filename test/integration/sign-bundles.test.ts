/**
 * The shipped sign bundles (actions/sign/dist, tasks/HarborSign/dist), as the runners start them: each signs an image
 * in the Harbor emulator (which lists accessories as Harbor does) with a PEM key, and the real `cosign verify --key`
 * (offline: no transparency log) then accepts the signature. Bad input fails with one line naming the input, before
 * any request reaches Harbor.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { harborAccess, seedImage } from '../sandbox/seed';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { requireGoTool } from '../support/tools';

let harbor: HarborEmulator;
let home: string;
let workspace: string;
const digests: Record<string, string> = {};
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sec1 = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
/** A line of the key's body, which must never be displayed. */
const keyLine = (pem: string) => pem.split('\n')[1];

function cosignVerify(reference: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool('cosign'),
      [
        'verify',
        '--key',
        path.join(home, 'cosign.pub'),
        '--insecure-ignore-tlog=true',
        '--allow-http-registry=true',
        reference,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 300_000 },
      (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr: String(stderr) }),
    ),
  );
}

const endpoints = () => ({
  'harbor-conn': {
    url: harbor.url,
    scheme: 'UsernamePassword',
    parameters: { username: harbor.admin.username, password: harbor.admin.password },
    data: { acceptUntrustedCerts: 'false' },
  },
});

beforeAll(async () => {
  harbor = await startHarborEmulator({ projects: [{ name: 'shop' }] });
  digests.web = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
  digests.api = await seedImage(harborAccess(harbor), 'shop/api', '2.0');
  home = makeTempDir('sign-bundles-home');
  // cosign reads registry credentials from the Docker config (0600), never from argv.
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  const auth = Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64');
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [harbor.host]: { auth } } }), {
    mode: 0o600,
  });
  fs.writeFileSync(path.join(home, 'cosign.pub'), publicPem);
  workspace = makeTempDir('sign-bundles-workspace');
  fs.writeFileSync(
    path.join(workspace, 'sbom.cdx.json'),
    JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 }),
  );
}, 120_000);

afterAll(async () => {
  await harbor?.stop();
  removeAllTempDirs();
});

describe('sign bundles', () => {
  it('GitHub action: a tag is resolved and its digest signed, the SBOM attached, Harbor lists the signature, cosign verify accepts it', async () => {
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/web',
        reference: '1.0',
        'cosign-key': pkcs8,
        sbom: 'sbom.cdx.json',
      },
      { cwd: workspace, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests.web);
    expect(run.outputs['signature-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs['sbom-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.displayed).toContain('Harbor lists the signature as signature.cosign');
    expect(run.displayed).not.toContain(keyLine(pkcs8));
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(await cosignVerify(`${harbor.host}/shop/web@${digests.web}`)).toMatchObject({ code: 0 });
  }, 400_000);

  it('Azure DevOps task: a digest reference signed with an EC PRIVATE KEY, outputs as task variables, cosign verify accepts it', async () => {
    const run = await runTaskBundle(
      'HarborSign',
      { harborConnection: 'harbor-conn', repository: 'shop/api', reference: digests.api, cosignKey: sec1 },
      { endpoints: endpoints(), timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests.api);
    expect(run.outputs.signatureDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.sbomDigest).toBeUndefined();
    expect(run.displayed).not.toContain(keyLine(sec1));
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(await cosignVerify(`${harbor.host}/shop/api@${digests.api}`)).toMatchObject({ code: 0 });
  }, 400_000);

  it('bad input fails with one line naming the input as each platform spells it, before any request to Harbor', async () => {
    harbor.clearRequests();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const action = await runActionBundle('sign', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      repository: 'shop/web',
      reference: '1.0',
      'cosign-key': rsa,
    });
    expect(action.code).toBe(1);
    const errors = action.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'cosign-key'");

    const task = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/web',
        reference: '1.0',
        cosignKey: pkcs8,
        sbom: 'missing.spdx.json',
      },
      { endpoints: endpoints(), cwd: workspace },
    );
    expect(task.code).not.toBe(0);
    expect(task.stdout).toMatch(/##vso\[task\.complete result=Failed;\]Input 'sbom': cannot read missing\.spdx\.json/);
    expect(harbor.requests()).toEqual([]);
  }, 120_000);
});
