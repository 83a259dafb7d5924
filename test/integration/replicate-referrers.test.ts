/**
 * Signatures and SBOMs through Harbor replication, Harbor to Harbor. The emulator follows Harbor v2.15.2: a manual
 * (or scheduled) run lists each artifact with its accessories and copies them along (src/pkg/reg/adapter/harbor/v2/
 * client.go getAccessoryArts); a push event replicates the pushed manifest alone, matched by its own tag
 * (src/controller/event/handler/replication/replication.go, src/pkg/reg/filter/artifact.go). The replicate step warns
 * about the latter. The real cosign, notation and oras judge the destination.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { attachFile, SbomMediaType } from '../../shared/sign/attach';
import { signWithCosignKey } from '../../shared/sign/cosign';
import { loadSigningKey, type SigningKey } from '../../shared/sign/keys';
import { localSigner, parseChain, signWithNotation } from '../../shared/sign/notation';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { harborAccess } from '../sandbox/seed';
import { skopeoCopy } from '../sandbox/skopeo';
import { requireGoTool } from '../support/tools';
import { startFaultProxy } from '../sandbox/fault-proxy';
import { startRegistry } from '../sandbox/registry-launcher';
import { harborInputs, runReplicate } from './replicate-setup';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const quiet = { log: () => undefined, debug: () => undefined };
let source: HarborEmulator;
let destination: HarborEmulator;
let http: HttpClient;
let home: string;
let key: SigningKey;
let notationKey: ReturnType<typeof createPrivateKey>;
let chain: ReturnType<typeof parseChain>;
let publicKey: string;

function run(tool: string, args: string[]): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool(tool),
      args,
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, TUF_ROOT: path.join(home, 'tuf') },
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );
}

const cosignVerify = (ref: string) =>
  run('cosign', ['verify', '--key', publicKey, '--insecure-ignore-tlog=true', '--allow-http-registry=true', ref]);

/** Pushes `shop/web:<tag>` to the source Harbor and signs it: cosign `.sig`, Notation, and a CycloneDX SBOM. */
async function pushSigned(tag: string, what: { notation?: boolean; sbom?: boolean } = {}): Promise<string> {
  await skopeoCopy(makeImage({ tag }).ref, `docker://${source.host}/shop/web:${tag}`, { dest: harborAccess(source) });
  const client = new RegistryClient(http, source.url, 'shop/web', source.admin, { onSecret: () => undefined });
  await client.login();
  const manifest = (await client.getManifest(tag))!;
  const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
  await signWithCosignKey({ registry: client, subject, key, layout: 'tag', push: quiet });
  if (what.notation) {
    await signWithNotation({
      registry: client,
      subject,
      signer: localSigner(notationKey),
      chain,
      now: new Date(),
      labels: { key: 'key' },
      push: quiet,
    });
  }
  if (what.sbom) {
    await attachFile({
      registry: client,
      subject,
      artifactType: SbomMediaType.cyclonedx,
      bytes: Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 })),
      fileName: 'sbom.cdx.json',
      created: '2026-12-01T00:00:00Z',
      push: quiet,
    });
  }
  return subject.digest;
}

function endpoint(): Record<string, string> {
  return {
    'registry-name': 'harbor-dr',
    'registry-type': 'harbor',
    'registry-url': destination.url,
    'registry-username': destination.admin.username,
    'registry-password': destination.admin.password,
  };
}

beforeAll(async () => {
  home = makeTempDir('replicate-referrers-home');
  [source, destination] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'shop' }] }),
    startHarborEmulator({ projects: [] }),
  ]);
  http = new HttpClient({ timeoutMs: 60_000 });
  const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.docker', 'config.json'),
    JSON.stringify({ auths: { [destination.host]: auth(destination.admin.username, destination.admin.password) } }),
    { mode: 0o600 },
  );
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  key = await loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, {
    key: 'cosign-key',
    password: 'cosign-password',
  });
  publicKey = path.join(home, 'cosign.pub');
  fs.writeFileSync(publicKey, key.publicKeyPem);
  const made = await run('notation', ['cert', 'generate-test', 'dr.test']);
  expect({ code: made.code, stderr: made.stderr }).toMatchObject({ code: 0 });
  const keys = path.join(home, '.config', 'notation', 'localkeys');
  notationKey = createPrivateKey(fs.readFileSync(path.join(keys, 'dr.test.key')));
  chain = parseChain(fs.readFileSync(path.join(keys, 'dr.test.crt'), 'utf8'), notationKey, {
    chain: 'chain',
    key: 'key',
  });
  fs.writeFileSync(
    path.join(home, '.config', 'notation', 'trustpolicy.json'),
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'dr',
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:dr.test'],
          trustedIdentities: ['*'],
        },
      ],
    }),
  );
}, 600_000);

afterAll(async () => {
  await http?.close();
  await destination?.stop();
  await source?.stop();
  removeAllTempDirs();
});

describe('replicate keeps signatures and SBOMs on manual runs; event_based does not, and the step says so', () => {
  it('a manual run copies the cosign signature, the Notation signature and the SBOM: cosign, notation and oras verify at the destination', async () => {
    const digest = await pushSigned('1.0', { notation: true, sbom: true });
    const p = await runReplicate({
      ...harborInputs(source),
      ...endpoint(),
      'policy-name': 'to-dr',
      direction: 'push',
      'name-filter': 'shop/**',
      'dest-namespace': 'shop',
    });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.messages('warning')).toEqual([]);
    // The tag, the image and its three accessories, read back from the destination with the endpoint's credentials.
    expect(p.messages('info')).toContain(`Destination check: all 5 expected manifest(s) are in ${destination.host}`);

    const ref = `${destination.host}/shop/web@${digest}`;
    const cosign = await cosignVerify(ref);
    expect({ code: cosign.code, stderr: cosign.stderr }).toMatchObject({ code: 0 });
    const notation = await run('notation', ['verify', '--insecure-registry', ref]);
    expect({ code: notation.code, stderr: notation.stderr }).toMatchObject({ code: 0 });
    const discovered = await run('oras', [
      'discover',
      '--plain-http',
      '--format',
      'json',
      '--artifact-type',
      SbomMediaType.cyclonedx,
      ref,
    ]);
    expect({ code: discovered.code, stderr: discovered.stderr }).toMatchObject({ code: 0 });
    const tree = JSON.parse(discovered.stdout) as { referrers?: { artifactType: string }[] };
    expect(tree.referrers).toEqual([expect.objectContaining({ artifactType: SbomMediaType.cyclonedx })]);
  });

  it('event_based: the step warns that accessories stay behind, and a signed push reaches the destination unsigned', async () => {
    const p = await runReplicate({
      ...harborInputs(source),
      ...endpoint(),
      'policy-name': 'on-push',
      direction: 'push',
      'name-filter': 'shop/**',
      'tag-filter': '1.*',
      'dest-namespace': 'pushed',
      trigger: 'event_based',
      run: 'false',
    });
    expect(p.result?.result).toBe('succeeded');
    const warnings = p.messages('warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      "Policy 'on-push' uses the event_based trigger, and 1 artifact(s) it covers have accessories (",
    );
    expect(warnings[0]).toContain(
      "the policy's tag filter drops 3 of their 3 accessory(ies) on their own push events, so Harbor never replicates those on push",
    );
    for (const type of ['signature.cosign', 'signature.notation', 'subject.accessory'])
      expect(warnings[0]).toContain(type);

    // A push of a signed image: the image's own push event replicates it; the `.sig` tag's event does not pass the
    // `1.*` tag filter, so the destination serves the image without its signature.
    const digest = await pushSigned('1.1');
    const replica = new RegistryClient(http, destination.url, 'pushed/web', destination.admin, {
      onSecret: () => undefined,
    });
    // Waits on the state (the event's execution copies in the background), never on a duration.
    for (let i = 0; i < 600 && (await replica.manifestDigest('1.1')) !== digest; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await replica.manifestDigest('1.1')).toBe(digest);
    const listed = await fetch(`${source.url}/api/v2.0/replication/executions?policy_id=${p.outputs['policy-id']}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${source.admin.username}:${source.admin.password}`).toString('base64')}`,
      },
    });
    const executions = (await listed.json()) as { trigger: string }[];
    expect(executions.map((e) => e.trigger)).toEqual(['event_based']);
    const cosign = await cosignVerify(`${destination.host}/pushed/web@${digest}`);
    expect(cosign.code).not.toBe(0);
    expect(cosign.stderr).toMatch(/no signatures found|no matching signatures/);
  });

  it('the destination check fails naming a child of an index the destination does not serve', async () => {
    const registry = await startRegistry({ auth: 'htpasswd' });
    const image = makeImage({
      tag: '3.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    await skopeoCopy(image.ref, `docker://${source.host}/shop/multi:3.0`, { dest: harborAccess(source) });
    const index = JSON.parse(
      (await new RegistryClient(http, source.url, 'shop/multi', source.admin, {
        onSecret: () => undefined,
      }).getManifest('3.0'))!.bytes.toString(),
    ) as { manifests: { digest: string }[] };
    const lost = index.manifests[1].digest;
    // The destination stores what Harbor pushes, but does not serve one child back (a manifest lost to cleanup).
    const proxy = await startFaultProxy({
      target: registry.url,
      rules: [
        {
          method: 'HEAD',
          path: new RegExp(`/manifests/${lost}$`),
          fault: { kind: 'status', status: 404 },
        },
      ],
    });
    try {
      const inputs = {
        ...harborInputs(source),
        'registry-name': 'plain-registry',
        'registry-type': 'docker-registry',
        'registry-url': proxy.url,
        'registry-username': registry.users[0].username,
        'registry-password': registry.users[0].password,
        'policy-name': 'to-plain',
        direction: 'push',
        'name-filter': 'shop/multi',
      };
      const p = await runReplicate(inputs);
      expect(p.result).toEqual({
        result: 'failed',
        message: `Destination check: 1 of 4 expected manifest(s) are not in ${proxy.host} after the replication (first: shop/multi@${lost} (child of shop/multi:3.0): missing)`,
      });
      expect(p.messages('info')).toContain(`  shop/multi@${lost} (child of shop/multi:3.0): missing`);
      const unchecked = await runReplicate({ ...inputs, 'destination-check': 'false' });
      expect(unchecked.result?.result).toBe('succeeded');
    } finally {
      await proxy.stop();
      await registry.stop();
    }
  });
});
