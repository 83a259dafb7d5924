/**
 * Signatures and SBOMs kept on the way to ACR: an image is signed in the Harbor emulator by the signing core (a cosign
 * `.sig` tag, a Notation signature and a CycloneDX SBOM as OCI referrers, and a cosign `.sig` of the SBOM), then the
 * acr-import step imports it into the ACR stand-in (the spec-checked fake ARM, whose importImage really copies, and
 * ACR's data plane with its referrers API in front of the storage registry). The real cosign, notation and oras then
 * judge what ACR serves — no code of ours on the verifying side.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import capability from '../../shared/capabilities/acr-import';
import { runCapability } from '../../shared/capability';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { attachFile, SbomMediaType } from '../../shared/sign/attach';
import { signatureTag, signWithCosignKey } from '../../shared/sign/cosign';
import { loadSigningKey, type SigningKey } from '../../shared/sign/keys';
import { localSigner, parseChain, signWithNotation } from '../../shared/sign/notation';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { harborAccess } from '../sandbox/seed';
import { skopeoCopy } from '../sandbox/skopeo';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import { startAzureWorld, type AzureWorld } from '../support/fake-arm/azure-world';
import { FakePlatform } from '../support/fake-platform';
import { requireGoTool } from '../support/tools';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const quiet = { log: () => undefined, debug: () => undefined };
const VERIFIER = { username: 'verifier', password: 'verifier-password-0123456789' };

let harbor: HarborEmulator;
let storage: RegistryHandle;
let world: AzureWorld;
let dataPlane: FakeAcrDataPlane;
let http: HttpClient;
let home: string;
let key: SigningKey;
let publicKey: string;
/** The signed image and what hangs off it in Harbor. */
const signed: Record<string, string> = {};

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

/** Writes HOME's docker config (0600) so the tools log in to the Harbor emulator and to ACR's data plane. */
function dockerConfig(): void {
  const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.docker', 'config.json'),
    JSON.stringify({
      auths: {
        [harbor.host]: auth(harbor.admin.username, harbor.admin.password),
        [dataPlane.host]: auth(VERIFIER.username, VERIFIER.password),
      },
    }),
    { mode: 0o600 },
  );
}

async function runImport(extra: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': harbor.url,
    username: harbor.admin.username,
    password: harbor.admin.password,
    'resource-group': 'rg-registry',
    registry: 'contosoregistry',
    ...extra,
  });
  platform.connections.azureSubscription = world.connection('ServicePrincipal');
  await runCapability(capability, platform);
  return platform;
}

beforeAll(async () => {
  home = makeTempDir('acr-referrers-home');
  [harbor, storage] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'shop' }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  world = await startAzureWorld({ loginServer: storage.host, dataPlane: storage.users[0] });
  dataPlane = await new FakeAcrDataPlane(world.arm, world.registry, {
    host: storage.host,
    ...storage.users[0],
  }).start();
  dataPlane.addReadToken(VERIFIER.username, VERIFIER.password);
  dockerConfig();
  http = new HttpClient({ timeoutMs: 60_000 });

  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  key = await loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, {
    key: 'cosign-key',
    password: 'cosign-password',
  });
  publicKey = path.join(home, 'cosign.pub');
  fs.writeFileSync(publicKey, key.publicKeyPem);

  // The real notation makes the test key, its certificate and the trust store entry; the trust policy trusts it.
  const made = await run('notation', ['cert', 'generate-test', 'acr.test']);
  expect({ code: made.code, stderr: made.stderr }).toMatchObject({ code: 0 });
  const keys = path.join(home, '.config', 'notation', 'localkeys');
  const notationKey = createPrivateKey(fs.readFileSync(path.join(keys, 'acr.test.key')));
  const chain = parseChain(fs.readFileSync(path.join(keys, 'acr.test.crt'), 'utf8'), notationKey, {
    chain: 'chain',
    key: 'key',
  });
  fs.writeFileSync(
    path.join(home, '.config', 'notation', 'trustpolicy.json'),
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'acr',
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:acr.test'],
          trustedIdentities: ['*'],
        },
      ],
    }),
  );

  // shop/web:1.0, signed three ways in Harbor, with an SBOM whose digest is signed too (a referrer of a referrer).
  await skopeoCopy(makeImage({ tag: '1.0' }).ref, `docker://${harbor.host}/shop/web:1.0`, {
    dest: harborAccess(harbor),
  });
  const client = new RegistryClient(http, harbor.url, 'shop/web', harbor.admin, { onSecret: () => undefined });
  await client.login();
  const manifest = (await client.getManifest('1.0'))!;
  const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
  signed.image = subject.digest;
  signed.cosign = (
    await signWithCosignKey({ registry: client, subject, key, layout: 'tag', push: quiet })
  ).manifestDigest;
  signed.notation = (
    await signWithNotation({
      registry: client,
      subject,
      signer: localSigner(notationKey),
      chain,
      now: new Date(),
      labels: { key: 'key' },
      push: quiet,
    })
  ).manifestDigest;
  const sbom = await attachFile({
    registry: client,
    subject,
    artifactType: SbomMediaType.cyclonedx,
    bytes: Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 })),
    fileName: 'sbom.cdx.json',
    created: '2026-12-01T00:00:00Z',
    push: quiet,
  });
  signed.sbom = sbom.digest;
  const sbomManifest = (await client.getManifest(sbom.digest))!;
  signed.sbomSignature = (
    await signWithCosignKey({
      registry: client,
      subject: { mediaType: sbomManifest.mediaType, digest: sbom.digest, size: sbomManifest.bytes.length },
      key,
      layout: 'tag',
      push: quiet,
    })
  ).manifestDigest;
}, 600_000);

afterAll(async () => {
  await http?.close();
  await dataPlane?.stop();
  await world?.stop();
  await storage?.stop();
  await harbor?.stop();
  removeAllTempDirs();
});

afterEach(() => {
  expect(world.arm.violations).toEqual([]);
});

describe('acr-import include-referrers: signatures and SBOMs reach ACR, judged by cosign, notation and oras', () => {
  it('imports the image, its cosign .sig tag, its Notation signature, its SBOM and the SBOM’s signature by digest', async () => {
    const p = await runImport({ images: 'shop/web:1.0' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs).toMatchObject({ total: '5', succeeded: '5', failed: '0' });
    // The artifact's own tags are the only ones reported as images.
    expect(JSON.parse(p.outputs.imported)).toEqual([`${dataPlane.host}/shop/web:1.0`]);

    const bodies = world.registry.imports as { source: { sourceImage: string }; targetTags?: string[]; mode: string }[];
    const bySource = new Map(bodies.map((b) => [b.source.sourceImage, b]));
    expect(bySource.get(`shop/web@${signed.cosign}`)).toMatchObject({
      targetTags: [`shop/web:${signatureTag(signed.image)}`],
      mode: 'Force',
    });
    expect(bySource.get(`shop/web@${signed.sbomSignature}`)).toMatchObject({
      targetTags: [`shop/web:${signatureTag(signed.sbom)}`],
    });
    for (const digest of [signed.notation, signed.sbom])
      expect(bySource.get(`shop/web@${digest}`)).toMatchObject({ untaggedTargetRepositories: ['shop/web'] });

    const ref = `${dataPlane.host}/shop/web@${signed.image}`;
    const cosign = await run('cosign', [
      'verify',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry=true',
      ref,
    ]);
    expect({ code: cosign.code, stderr: cosign.stderr }).toMatchObject({ code: 0 });
    const sbomSignature = await run('cosign', [
      'verify',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry=true',
      `${dataPlane.host}/shop/web@${signed.sbom}`,
    ]);
    expect({ code: sbomSignature.code, stderr: sbomSignature.stderr }).toMatchObject({ code: 0 });
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
    const tree = JSON.parse(discovered.stdout) as { referrers?: { digest: string; artifactType: string }[] };
    expect(tree.referrers).toEqual([
      expect.objectContaining({ digest: signed.sbom, artifactType: SbomMediaType.cyclonedx }),
    ]);
  });

  it('the destination check reads all of it back from ACR with the step’s own Azure sign-in', async () => {
    const p = await runImport({ images: 'shop/web:1.0', 'target-repository-prefix': 'checked' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.logs.map((l) => l.message)).toContain(
      `Destination check: all 5 expected manifest(s) are in ${dataPlane.host}`,
    );
  });

  it('include-referrers false imports the image only; the destination check fails naming each missing referrer, and cosign and notation agree', async () => {
    const p = await runImport({
      images: 'shop/web:1.0',
      'include-referrers': 'false',
      'target-repository-prefix': 'bare',
    });
    const missingCosign = `bare/shop/web:${signatureTag(signed.image)}@${signed.cosign} (cosign .sig of shop/web:1.0): missing`;
    expect(p.result).toEqual({
      result: 'failed',
      message: `Destination check: 4 of 5 expected manifest(s) are not in ${dataPlane.host} after the import (first: ${missingCosign}); set 'include-referrers' to true to import what is attached, or 'destination-check' to false to accept ACR without it`,
    });
    // The image itself was imported; every attached manifest is named, one line each.
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1' });
    const logged = p.logs.map((l) => l.message);
    expect(logged).toEqual(
      expect.arrayContaining([
        `  ${missingCosign}`,
        `  bare/shop/web@${signed.notation} (application/vnd.cncf.notary.signature of shop/web:1.0): missing`,
        `  bare/shop/web@${signed.sbom} (${SbomMediaType.cyclonedx} of shop/web:1.0): missing`,
        `  bare/shop/web:${signatureTag(signed.sbom)}@${signed.sbomSignature} (cosign .sig of ${signed.sbom.slice(0, 19)}): missing`,
      ]),
    );
    const ref = `${dataPlane.host}/bare/shop/web@${signed.image}`;
    const cosign = await run('cosign', [
      'verify',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry=true',
      ref,
    ]);
    expect(cosign.code).not.toBe(0);
    const notation = await run('notation', ['verify', '--insecure-registry', ref]);
    expect(notation.code).not.toBe(0);

    // Switched off, the same import succeeds.
    const unchecked = await runImport({
      images: 'shop/web:1.0',
      'include-referrers': 'false',
      'destination-check': 'false',
      'target-repository-prefix': 'bare',
    });
    expect(unchecked.result?.result).toBe('succeeded');
  });

  it('a destination that lacks a child of an imported index fails the check, naming the child', async () => {
    const image = makeImage({
      tag: '2.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    await skopeoCopy(image.ref, `docker://${harbor.host}/shop/multi:2.0`, { dest: harborAccess(harbor) });
    const index = JSON.parse(
      (await new RegistryClient(http, harbor.url, 'shop/multi', harbor.admin, {
        onSecret: () => undefined,
      }).getManifest('2.0'))!.bytes.toString(),
    ) as { manifests: { digest: string }[] };
    const [amd64, arm64] = index.manifests.map((m) => m.digest);

    const whole = await runImport({ images: 'shop/multi:2.0', 'target-repository-prefix': 'multi' });
    expect(whole.result).toEqual({ result: 'succeeded', message: undefined });
    expect(whole.logs.map((l) => l.message)).toContain(
      `Destination check: all 3 expected manifest(s) are in ${dataPlane.host}`,
    );

    // ACR's retention policy for untagged manifests (or anything else) took one child away.
    dataPlane.forget('multi/shop/multi', arm64);
    const p = await runImport({ images: 'shop/multi:2.0', 'target-repository-prefix': 'multi' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `Destination check: 1 of 3 expected manifest(s) are not in ${dataPlane.host} after the import (first: multi/shop/multi@${arm64} (child of shop/multi:2.0): missing)`,
    });
    expect(p.outputs).toMatchObject({ skipped: '1' });
    expect(amd64).not.toBe(arm64);
  });
});
