import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { harborAccess, registryAccess, seedImage } from '../sandbox/seed';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { signWithCosignKey } from '../../shared/sign/cosign';
import { loadSigningKey } from '../../shared/sign/keys';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { requireGoTool } from '../support/tools';

// The shipped bundles (actions/replicate/dist, tasks/HarborReplicate/dist) as the runners start them, node_modules out
// of reach, against the emulator and a real registry.
let harbor: HarborEmulator;
let target: RegistryHandle;
let digest: string;

beforeAll(async () => {
  [harbor, target] = await Promise.all([
    // A failed task runs again once the step has listed the tasks after the failure, so the step sees every run.
    startHarborEmulator({ projects: [{ name: 'app' }], replicationTimings: { retryAfterTaskReads: 1 } }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  digest = await seedImage(harborAccess(harbor), 'app/web', '1.0');
  await seedImage(harborAccess(harbor), 'app/api', '1.0');
});

afterAll(async () => {
  await harbor?.stop();
  await target?.stop();
  removeAllTempDirs();
});

describe('replicate bundles', () => {
  it('Azure DevOps task: Harbor from the service connection, outputs as task variables, the copy really happens', async () => {
    const run = await runTaskBundle(
      'HarborReplicate',
      {
        harborConnection: 'harbor-conn',
        registryName: 'acr',
        registryType: 'azure-acr',
        registryUrl: target.url,
        registryUsername: target.users[0].username,
        registryPassword: target.users[0].password,
        policyName: 'ado-push',
        direction: 'push',
        nameFilter: 'app/web',
        trigger: 'scheduled',
        cron: '0 30 2 * * *',
      },
      {
        endpoints: {
          'harbor-conn': {
            url: harbor.url,
            scheme: 'UsernamePassword',
            parameters: { username: harbor.admin.username, password: harbor.admin.password },
            data: { acceptUntrustedCerts: 'false' },
          },
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: '1', succeeded: '1', failed: '0' });
    expect(Number(run.outputs.policyId)).toBeGreaterThan(0);
    // cron-parser runs inside the bundle: the next run is computed, not just echoed.
    expect(run.stdout).toMatch(/Scheduled '0 30 2 \* \* \*'; next run \d{4}-\d\d-\d\dT02:30:00\.000Z/);
    expect(run.summary).toContain(
      '| artifact | `app/web [1 item(s) in total]` | `app/web [1 item(s) in total]` | Succeed |',
    );
    expect(await skopeoDigest(`docker://${target.host}/app/web:1.0`, registryAccess(target))).toBe(digest);
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(run.displayed).not.toContain(target.users[0].password);
  });

  it('GitHub action: a failed task fails the step with one error line, the table and the task log', async () => {
    harbor.failReplicationOf({ repository: 'app/api' });
    const run = await runActionBundle('replicate', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': 'acr',
      'policy-name': 'gh-push',
      direction: 'push',
      'name-filter': 'app/*',
    });
    expect(run.code).not.toBe(0);
    expect(run.displayed).toMatch(
      /^::error::Replication execution \d+ failed: 1 of 2 task\(s\) failed \(first: app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\], failed after 3 attempts\); see the task table and logs above$/m,
    );
    expect(run.displayed).toMatch(
      /app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\]\s+Failed \(3 attempts\)/,
    );
    expect(run.displayed).toContain('injected failure for app/api');
    expect(run.outputs).toMatchObject({ total: '2', succeeded: '1', failed: '1' });
    expect(run.summary).toMatch(
      /\| artifact \| `app\/api \[1 item\(s\) in total\]` \| `app\/api \[1 item\(s\) in total\]` \| Failed \(3 attempts\) \|/,
    );
    expect(run.displayed).not.toContain(harbor.admin.password);
  }, 120_000);

  it('GitHub action: a bad input fails with one line naming it, before Harbor is called', async () => {
    harbor.clearRequests();
    const run = await runActionBundle('replicate', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'policy-name': 'nightly',
      trigger: 'scheduled',
      cron: '0 2 * * *',
    });
    expect(run.code).not.toBe(0);
    expect(run.displayed).toContain(
      "::error::Input 'cron' has 5 fields; Harbor's cron has 6 with seconds first: use '0 0 2 * * *' (got '0 2 * * *')",
    );
    expect(harbor.requests({ path: /^\/api\// })).toHaveLength(0);
  });

  it('GitHub action: a signed image is replicated with its cosign signature, checked at the destination, and cosign verifies it there', async () => {
    const signed = await seedImage(harborAccess(harbor), 'app/signed', '1.0');
    const home = makeTempDir('replicate-bundles-home');
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = await loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, {
      key: 'cosign-key',
      password: 'cosign-password',
    });
    const http = new HttpClient({ timeoutMs: 60_000 });
    try {
      const client = new RegistryClient(http, harbor.url, 'app/signed', harbor.admin, { onSecret: () => undefined });
      await client.login();
      const manifest = (await client.getManifest('1.0'))!;
      await signWithCosignKey({
        registry: client,
        subject: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length },
        key,
        layout: 'tag',
        push: { log: () => undefined, debug: () => undefined },
      });
    } finally {
      await http.close();
    }
    const run = await runActionBundle('replicate', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': 'plain',
      'registry-type': 'docker-registry',
      'registry-url': target.url,
      'registry-username': target.users[0].username,
      'registry-password': target.users[0].password,
      'policy-name': 'gh-signed',
      direction: 'push',
      'name-filter': 'app/signed',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The tag, the image and its cosign .sig, read back from the registry with the endpoint's credentials.
    expect(run.displayed).toContain(`Destination check: all 3 expected manifest(s) are in ${target.host}`);
    fs.writeFileSync(path.join(home, 'cosign.pub'), key.publicKeyPem);
    fs.mkdirSync(path.join(home, '.docker'));
    const auth = Buffer.from(`${target.users[0].username}:${target.users[0].password}`).toString('base64');
    fs.writeFileSync(
      path.join(home, '.docker', 'config.json'),
      JSON.stringify({ auths: { [target.host]: { auth } } }),
      {
        mode: 0o600,
      },
    );
    const verified = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        requireGoTool('cosign'),
        [
          'verify',
          '--key',
          path.join(home, 'cosign.pub'),
          '--insecure-ignore-tlog=true',
          '--allow-http-registry=true',
          `${target.host}/app/signed@${signed}`,
        ],
        { env: { PATH: process.env.PATH ?? '', HOME: home, TUF_ROOT: path.join(home, 'tuf') }, timeout: 300_000 },
        (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr: String(stderr) }),
      ),
    );
    expect(verified).toMatchObject({ code: 0 });
  });
});
