import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { makeDockerArchive, pullWithSkopeo } from './push-fixtures';

// The shipped bundles (actions/push/dist, tasks/HarborPush/dist) started as the runners start them, node_modules out
// of reach, pushing to the Harbor emulator and to a plain registry; skopeo checks what landed.

let harbor: HarborEmulator;
let plain: RegistryHandle;

beforeAll(async () => {
  [harbor, plain] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'library', public: true }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.all([harbor?.stop(), plain?.stop()]);
});

describe('push bundles', () => {
  it('GitHub action: OCI layout to Harbor, project created, outputs in GITHUB_OUTPUT, summary written, secret masked', async () => {
    const image = makeImage({ layers: 2 });
    const run = await runActionBundle('push', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      project: 'gh',
      repository: 'web',
      tags: 'v1, latest',
      source: `oci:${image.dir}`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(image.digest);
    expect(run.outputs.images).toBe(
      [`${harbor.host}/gh/web:v1`, `${harbor.host}/gh/web:latest`, `${harbor.host}/gh/web@${image.digest}`].join('\n'),
    );
    expect(run.summary).toContain(`| Digest | \`${image.digest}\` |`);
    expect(run.stdout).toContain('Created Harbor project gh (private)');
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(await skopeoDigest(`docker://${harbor.host}/gh/web:latest`, { host: harbor.host, ...harbor.admin })).toBe(
      image.digest,
    );
  });

  it('GitHub action: a bad input fails with one ::error:: line naming it', async () => {
    const run = await runActionBundle('push', {
      'harbor-url': harbor.url,
      project: 'gh',
      repository: 'web',
      source: 'tarball:/x',
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(
      "::error::Input 'source' must be oci:<dir>[:<ref>], docker-archive:<file>[:<image>], docker:<image> or chart:<file.tgz> (got 'tarball:/x')",
    );
  });

  it('Azure DevOps task: Harbor from the service connection, docker-archive to a plain registry, outputs as task variables', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 2 });
    const run = await runTaskBundle(
      'HarborPush',
      {
        harborConnection: 'harbor-conn',
        project: 'ado',
        repository: 'api',
        tags: '2.0',
        source: `docker-archive:${archive.file}`,
        createProject: 'false',
      },
      {
        endpoints: {
          'harbor-conn': {
            url: plain.url,
            scheme: 'UsernamePassword',
            parameters: { username: plain.users[0].username, password: plain.users[0].password },
            data: { acceptUntrustedCerts: 'false' },
          },
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const pulled = await pullWithSkopeo(`docker://${plain.host}/ado/api:2.0`, { host: plain.host, ...plain.users[0] });
    expect(pulled.uncompressed).toEqual(archive.diffIds);
    expect(await skopeoDigest(`docker://${plain.host}/ado/api:2.0`, { host: plain.host, ...plain.users[0] })).toBe(
      run.outputs.digest,
    );
    expect(run.displayed).not.toContain(plain.users[0].password);
  });

  it('Azure DevOps task: caFile left empty arrives as the sources directory (the agent fills it in) and counts as not set', async () => {
    const sources = mkdtempSync(join(tmpdir(), 'ado-sources-'));
    const image = makeImage();
    const run = await runTaskBundle(
      'HarborPush',
      {
        harborConnection: 'conn',
        project: 'ado',
        repository: 'blankca',
        source: `oci:${image.dir}`,
        createProject: 'false',
        caFile: sources,
      },
      {
        endpoints: { conn: { url: plain.url, scheme: 'UsernamePassword', parameters: { ...plain.users[0] } } },
        env: { BUILD_SOURCESDIRECTORY: sources, SYSTEM_DEFAULTWORKINGDIRECTORY: sources },
      },
    );
    expect(run.stdout).toContain('##vso[task.complete result=Succeeded;]');
    expect(run.outputs.digest).toBe(image.digest);
  });

  it("Azure DevOps task: the connection's 'accept untrusted certificates' reaches a self-signed TLS registry, with a warning", async () => {
    const tls = await startRegistry({ auth: 'htpasswd', tls: true });
    try {
      const image = makeImage();
      const endpoint = (accept: string) => ({
        endpoints: {
          conn: {
            url: tls.url,
            scheme: 'UsernamePassword',
            parameters: { ...tls.users[0] },
            data: { acceptUntrustedCerts: accept },
          },
        },
      });
      const inputs = {
        harborConnection: 'conn',
        project: 'p',
        repository: 'r',
        source: `oci:${image.dir}`,
        createProject: 'false',
      };
      const refused = await runTaskBundle('HarborPush', inputs, endpoint('false'));
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toMatch(
        /##vso\[task\.complete result=Failed;\]TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); set caFile to the PEM file of its CA, or allow untrusted certificates on the harborConnection service connection \(not recommended\)$/m,
      );
      const accepted = await runTaskBundle('HarborPush', inputs, endpoint('true'));
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain(
        '##vso[task.issue type=warning;source=TaskInternal;]TLS certificate verification is disabled',
      );
      expect(accepted.outputs.digest).toBe(image.digest);
    } finally {
      await tls.stop();
    }
  });
});
