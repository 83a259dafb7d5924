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

/** An ACR token with pull on every repository, as `az acr token create --scope-map _repositories_pull` makes one. */
function addVerifierToken(): void {
  const registryId = `/subscriptions/${world.registry.subscriptionId}/resourceGroups/${world.registry.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${world.registry.name}`;
  const old = new Date(0).toISOString();
  world.registry.scopeMaps.set('verify-pull', {
    name: 'verify-pull',
    actions: ['repositories/*/content/read'],
    type: 'UserDefined',
    creationDate: old,
    provisioningState: 'Succeeded',
  });
  world.registry.tokens.set(VERIFIER.username, {
    name: VERIFIER.username,
    scopeMapId: `${registryId}/scopeMaps/verify-pull`,
    status: 'enabled',
    passwords: [{ name: 'password1', value: VERIFIER.password, creationTime: old }],
    creationDate: old,
    provisioningState: 'Succeeded',
  });
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
  addVerifierToken();
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

  it('include-referrers false imports the image only: cosign and notation find no signature in ACR', async () => {
    const p = await runImport({
      images: 'shop/web:1.0',
      'include-referrers': 'false',
      'target-repository-prefix': 'bare',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1' });
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
  });
});
