import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { MediaType } from '../../shared/oci/media-types';
import { RegistryClient } from '../../shared/oci/registry-client';
import { attachFile, SbomMediaType, sbomMediaType } from '../../shared/sign/attach';
import { Cosign, signatureTag, signWithCosignKey, type CosignLayout } from '../../shared/sign/cosign';
import { loadSigningKey, type SigningKey } from '../../shared/sign/keys';
import { localSigner, Notation, parseChain, signWithNotation } from '../../shared/sign/notation';
import { buildArtifact, pushReferrer } from '../../shared/oci/artifact';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { makeImage } from '../sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { skopeoCopy } from '../sandbox/skopeo';
import { requireGoTool } from '../support/tools';

// The signing core judged by the real tools (pinned in scripts/tools.json), against CNCF Distribution on loopback —
// a registry without the referrers API, so referrers go through the distribution spec's referrers tag schema.
// No code of ours runs on the verifying side: cosign verifies, oras discovers and pulls.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;

/** Runs a pinned tool with an isolated HOME (no docker config, no TUF cache of the developer's) and no network use. */
function run(tool: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      tool,
      args,
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, TUF_ROOT: path.join(home, 'tuf'), ...env },
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

// Each tool is looked up where it is used: a missing one fails those tests with the command that installs it.
const cosign = () => requireGoTool('cosign');
const oras = () => requireGoTool('oras');
const notation = () => requireGoTool('notation');
let registry: RegistryHandle;
let http: HttpClient;
let pemKey: SigningKey;
let pemPub: string;

const REPO = 'library/app';

function client(repository = REPO): RegistryClient {
  return new RegistryClient(http, registry.url, repository, {}, { onSecret: () => undefined });
}

/** Pushes a fresh image under `tag` with skopeo; returns its descriptor as the registry serves it. */
async function pushImage(tag: string): Promise<{ mediaType: string; digest: string; size: number }> {
  const image = makeImage({ tag });
  await skopeoCopy(image.ref, `docker://${registry.host}/${REPO}:${tag}`, { dest: { host: registry.host } });
  const manifest = await client().getManifest(tag);
  return { mediaType: manifest!.mediaType, digest: manifest!.digest, size: manifest!.bytes.length };
}

const quiet = { log: () => undefined, debug: () => undefined };

async function sign(
  subject: { mediaType: string; digest: string; size: number },
  key: SigningKey,
  layout: CosignLayout,
): Promise<Awaited<ReturnType<typeof signWithCosignKey>>> {
  const registryClient = client();
  await registryClient.login();
  return signWithCosignKey({ registry: registryClient, subject, key, layout, push: quiet });
}

function cosignVerify(publicKeyFile: string, digest: string, extra: string[] = []): Promise<Run> {
  return run(cosign(), [
    'verify',
    '--key',
    publicKeyFile,
    '--insecure-ignore-tlog=true',
    '--allow-http-registry=true',
    ...extra,
    `${registry.host}/${REPO}@${digest}`,
  ]);
}

beforeAll(async () => {
  home = makeTempDir('sign-home');
  registry = await startRegistry();
  http = new HttpClient({ timeoutMs: 60_000 });
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  pemKey = await loadSigningKey(pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), undefined, {
    key: 'cosign-key',
    password: 'cosign-password',
  });
  pemPub = path.join(home, 'pem.pub');
  fs.writeFileSync(pemPub, pemKey.publicKeyPem);
});

afterAll(async () => {
  await http?.close();
  await registry?.stop();
  removeAllTempDirs();
});

describe('cosign signatures written by the signing core, judged by the real cosign', () => {
  it('the .sig tag layout: cosign verify --key accepts it offline; the same signature on another digest is refused', async () => {
    const signed = await pushImage('signed');
    const other = await pushImage('other');
    const result = await sign(signed, pemKey, 'tag');
    expect(result).toMatchObject({ layout: 'tag', location: signatureTag(signed.digest), existing: false });

    const ok = await cosignVerify(pemPub, signed.digest);
    expect({ code: ok.code, stderr: ok.stderr }).toMatchObject({ code: 0 });
    const verified = JSON.parse(ok.stdout) as { critical: { image: { 'docker-manifest-digest': string } } }[];
    expect(verified.map((v) => v.critical.image['docker-manifest-digest'])).toEqual([signed.digest]);

    // Tamper: put our signature manifest where cosign looks for the other image's signatures. The signature is valid
    // but binds the first digest, so cosign must refuse it.
    const sig = await client().getManifest(signatureTag(signed.digest));
    const writer = client();
    await writer.login();
    await writer.putManifest(signatureTag(other.digest), sig!.mediaType, sig!.bytes, sig!.digest);
    const refused = await cosignVerify(pemPub, other.digest);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no matching signatures: invalid or missing digest in claim/);

    // Another key does not verify it either.
    const stranger = path.join(home, 'stranger.pub');
    fs.writeFileSync(
      stranger,
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const foreign = await cosignVerify(stranger, signed.digest);
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toMatch(/invalid signature when validating ASN.1 encoded signature/);
  });

  it('a key file made by the real `cosign generate-key-pair` signs after decryption; a re-run adds no second signature', async () => {
    const dir = makeTempDir('cosign-keys');
    // The password travels in the environment, as cosign reads it (COSIGN_PASSWORD), never on argv.
    const password = 'pw-for-a-test-key';
    const made = await new Promise<Run>((resolve) =>
      execFile(
        cosign(),
        ['generate-key-pair', '--output-key-prefix', path.join(dir, 'cosign')],
        { env: { PATH: process.env.PATH ?? '', HOME: home, COSIGN_PASSWORD: password }, cwd: dir, timeout: 300_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(made).toMatchObject({ code: 0 });
    const pem = fs.readFileSync(path.join(dir, 'cosign.key'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    const key = await loadSigningKey(pem, password, { key: 'cosign-key', password: 'cosign-password' });

    const image = await pushImage('encrypted-key');
    expect((await sign(image, key, 'tag')).existing).toBe(false);
    const again = await sign(image, key, 'tag');
    expect(again.existing).toBe(true);
    const sig = await client().getManifest(signatureTag(image.digest));
    expect((JSON.parse(sig!.bytes.toString()) as { layers: unknown[] }).layers).toHaveLength(1);

    const ok = await cosignVerify(path.join(dir, 'cosign.pub'), image.digest);
    expect({ code: ok.code, stderr: ok.stderr }).toMatchObject({ code: 0 });
    // A second key's signature is added beside the first, and each key verifies its own.
    expect((await sign(image, pemKey, 'tag')).existing).toBe(false);
    const both = await client().getManifest(signatureTag(image.digest));
    expect((JSON.parse(both!.bytes.toString()) as { layers: unknown[] }).layers).toHaveLength(2);
    expect((await cosignVerify(pemPub, image.digest)).code).toBe(0);
    expect((await cosignVerify(path.join(dir, 'cosign.pub'), image.digest)).code).toBe(0);
  });

  it('the OCI 1.1 referrer layout: found through the referrers tag schema by cosign --experimental-oci11 and by oras', async () => {
    const image = await pushImage('referrer');
    const result = await sign(image, pemKey, 'referrer');
    expect(result).toMatchObject({ layout: 'referrer', existing: false });
    // No .sig tag was written: a pass below can only come from the referrer.
    expect(await client().manifestDigest(signatureTag(image.digest))).toBeUndefined();

    const ok = await cosignVerify(pemPub, image.digest, ['--experimental-oci11=true']);
    expect({ code: ok.code, stderr: ok.stderr }).toMatchObject({ code: 0 });
    const legacy = await cosignVerify(pemPub, image.digest);
    expect(legacy.code).not.toBe(0);
    expect(legacy.stderr).toMatch(/no signatures found/);

    const discovered = await run(oras(), [
      'discover',
      '--plain-http',
      '--format',
      'json',
      `${registry.host}/${REPO}@${image.digest}`,
    ]);
    expect({ code: discovered.code, stderr: discovered.stderr }).toMatchObject({ code: 0 });
    const listed = (JSON.parse(discovered.stdout) as { referrers: { digest: string; artifactType: string }[] })
      .referrers;
    expect(listed).toEqual([
      expect.objectContaining({ digest: result.manifestDigest, artifactType: Cosign.signatureArtifactType }),
    ]);
    expect((await sign(image, pemKey, 'referrer')).existing).toBe(true);
  });
});

describe('SBOMs attached as OCI referrers, judged by oras', () => {
  it('oras discover lists the SBOM with its artifactType, and oras pull gets the same bytes back', async () => {
    const image = await pushImage('with-sbom');
    const sbom = Buffer.from(
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ name: 'app' }] }),
    );
    expect(sbomMediaType(sbom, 'sbom')).toBe(SbomMediaType.cyclonedx);
    const registryClient = client();
    await registryClient.login();
    const attach = () =>
      attachFile({
        registry: registryClient,
        subject: image,
        artifactType: SbomMediaType.cyclonedx,
        bytes: sbom,
        fileName: 'out/sbom.cdx.json',
        created: '2026-12-01T00:00:00Z',
        push: quiet,
      });
    const attached = await attach();
    expect(attached).toMatchObject({ existing: false, listedBy: 'referrers-tag' });
    // An SPDX document beside it: two referrers, each with its own type.
    const spdx = Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'app' }));
    await attachFile({
      registry: registryClient,
      subject: image,
      artifactType: sbomMediaType(spdx, 'sbom'),
      bytes: spdx,
      fileName: 'sbom.spdx.json',
      created: '2026-12-01T00:00:00Z',
      push: quiet,
    });
    expect(await attach()).toEqual({ digest: attached.digest, existing: true });

    const discovered = await run(oras(), [
      'discover',
      '--plain-http',
      '--format',
      'json',
      `${registry.host}/${REPO}@${image.digest}`,
    ]);
    expect({ code: discovered.code, stderr: discovered.stderr }).toMatchObject({ code: 0 });
    const listed = (JSON.parse(discovered.stdout) as { referrers: { digest: string; artifactType: string }[] })
      .referrers;
    expect(listed.map((r) => r.artifactType).sort()).toEqual([SbomMediaType.spdx, SbomMediaType.cyclonedx].sort());
    expect(listed.find((r) => r.artifactType === SbomMediaType.cyclonedx)?.digest).toBe(attached.digest);

    const out = makeTempDir('oras-pull');
    const pulled = await run(oras(), [
      'pull',
      '--plain-http',
      '-o',
      out,
      `${registry.host}/${REPO}@${attached.digest}`,
    ]);
    expect({ code: pulled.code, stderr: pulled.stderr }).toMatchObject({ code: 0 });
    expect(fs.readFileSync(path.join(out, 'sbom.cdx.json'))).toEqual(sbom);
    // The referrers tag schema's index is an OCI index under sha256-<hex>.
    const index = await client().getManifest(image.digest.replace(':', '-'));
    expect(index?.mediaType).toBe(MediaType.ociIndex);
  });
});

describe('Notary Project signatures written by the signing core, judged by the real notation', () => {
  it('notation verify accepts the JWS signature of a notation-made test key; the same envelope on another digest is refused', async () => {
    // The real notation makes the key, the self-signed certificate and the trust store entry (in HOME/.config/notation).
    const made = await run(notation(), ['cert', 'generate-test', 'sign.test']);
    expect({ code: made.code, stderr: made.stderr }).toMatchObject({ code: 0 });
    const keys = path.join(home, '.config', 'notation', 'localkeys');
    const key = createPrivateKey(fs.readFileSync(path.join(keys, 'sign.test.key')));
    const chain = parseChain(fs.readFileSync(path.join(keys, 'sign.test.crt'), 'utf8'), key, {
      chain: 'notation-certificate-chain',
      key: 'notation-key',
    });
    fs.writeFileSync(
      path.join(home, '.config', 'notation', 'trustpolicy.json'),
      JSON.stringify({
        version: '1.0',
        trustPolicies: [
          {
            name: 'sandbox',
            registryScopes: ['*'],
            signatureVerification: { level: 'strict' },
            trustStores: ['ca:sign.test'],
            trustedIdentities: ['*'],
          },
        ],
      }),
    );

    const image = await pushImage('notation');
    const other = await pushImage('notation-other');
    const registryClient = client();
    await registryClient.login();
    const signed = await signWithNotation({
      registry: registryClient,
      subject: image,
      signer: localSigner(key),
      chain,
      now: new Date(),
      labels: { key: 'notation-key' },
      push: quiet,
    });
    expect(signed.existing).toBe(false);
    const verify = (digest: string) =>
      run(notation(), ['verify', '--insecure-registry', `${registry.host}/${REPO}@${digest}`]);
    const ok = await verify(image.digest);
    expect({ code: ok.code, stderr: ok.stderr }).toMatchObject({ code: 0 });

    // The same envelope attached to another image: valid signature, wrong target artifact.
    const tampered = buildArtifact({
      config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
      layers: [{ mediaType: Notation.jwsMediaType, bytes: signed.envelope }],
      subject: other,
      annotations: (
        JSON.parse((await client().getManifest(signed.manifestDigest))!.bytes.toString()) as {
          annotations: Record<string, string>;
        }
      ).annotations,
    });
    await pushReferrer(registryClient, tampered, quiet);
    const refused = await verify(other.digest);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/signature verification failed for all the signatures/);

    const again = await signWithNotation({
      registry: registryClient,
      subject: image,
      signer: localSigner(key),
      chain,
      now: new Date(),
      labels: { key: 'notation-key' },
      push: quiet,
    });
    expect(again).toMatchObject({ existing: true, manifestDigest: signed.manifestDigest });
  });
});
