import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkListedAsSignature, listAccessories } from '../../shared/harbor/accessories';
import { HarborClient } from '../../shared/harbor/client';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { attachFile, SbomMediaType } from '../../shared/sign/attach';
import { Cosign, signatureTag, signWithCosignKey } from '../../shared/sign/cosign';
import { loadSigningKey, type SigningKey } from '../../shared/sign/keys';
import { localSigner, Notation, parseChain, signWithNotation } from '../../shared/sign/notation';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { authHeader, startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { request } from '../sandbox/net-utils';
import { makeCa } from '../sandbox/pki';
import { skopeoCopy } from '../sandbox/skopeo';
import { requireGoTool } from '../support/tools';

// What Harbor shows for what the signing core writes: the emulator keeps accessories as Harbor's cosign and subject
// middlewares do and serves the referrers API from them (test/sandbox/harbor/accessories.ts cites the sources); the
// artifact API lists them with with_accessory=true, checked against Harbor's swagger by the contract check. The real
// cosign and oras read the same through the emulator's /v2/.

const REPO = 'library/app';
let harbor: HarborEmulator;
let http: HttpClient;
let home: string;
let key: SigningKey;
const quiet = { log: () => undefined, debug: () => undefined };

function registry(): RegistryClient {
  return new RegistryClient(http, harbor.url, REPO, harbor.admin, { onSecret: () => undefined });
}

async function pushImage(tag: string): Promise<{ mediaType: string; digest: string; size: number }> {
  await skopeoCopy(makeImage({ tag }).ref, `docker://${harbor.host}/${REPO}:${tag}`, {
    dest: { host: harbor.host, ...harbor.internalCredentials },
  });
  const m = await registry().getManifest(tag);
  return { mediaType: m!.mediaType, digest: m!.digest, size: m!.bytes.length };
}

async function artifactApi(pathAndQuery: string): Promise<any> {
  const res = await request(`${harbor.url}/api/v2.0/projects/library/repositories/app/${pathAndQuery}`, {
    headers: authHeader(harbor.admin),
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.body.toString());
}

function run(tool: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool(tool),
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 300_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }),
    ),
  );
}

beforeAll(async () => {
  harbor = await startHarborEmulator();
  http = new HttpClient({ timeoutMs: 60_000 });
  home = makeTempDir('accessories-home');
  // cosign and oras read registry credentials from the Docker config (0600), never from argv.
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  const auth = Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64');
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [harbor.host]: { auth } } }), {
    mode: 0o600,
  });
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  key = await loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, {
    key: 'cosign-key',
    password: 'cosign-password',
  });
});

afterAll(async () => {
  await http?.close();
  await harbor?.stop();
  removeAllTempDirs();
});

useContractCheck(() => [harbor]);

describe('accessories as Harbor shows them', () => {
  it('a .sig signature, a Notation signature and an SBOM are listed with Harbor’s types; the .sig is not an artifact of its own', async () => {
    const image = await pushImage('v1');
    const client = registry();
    await client.login();
    await signWithCosignKey({ registry: client, subject: image, key, layout: 'tag', push: quiet });

    const dir = makeTempDir('accessories-pki');
    const ca = makeCa(dir, 'accessories-ca');
    const notationKey = createPrivateKey(fs.readFileSync(ca.keyFile));
    const chain = parseChain(ca.certPem, notationKey, { chain: 'chain', key: 'key' });
    const notary = await signWithNotation({
      registry: client,
      subject: image,
      signer: localSigner(notationKey),
      chain,
      now: new Date(),
      labels: { key: 'key' },
      push: quiet,
    });
    const sbom = await attachFile({
      registry: client,
      subject: image,
      artifactType: SbomMediaType.cyclonedx,
      bytes: Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 })),
      fileName: 'sbom.cdx.json',
      created: '2026-12-01T00:00:00Z',
      push: quiet,
    });
    // Harbor serves the referrers API, so no referrers tag was written.
    expect(sbom.listedBy).toBe('referrers-api');
    expect(await client.manifestDigest(image.digest.replace(':', '-'))).toBeUndefined();

    const sig = await client.manifestDigest(signatureTag(image.digest));
    const artifact = await artifactApi('artifacts/v1?with_accessory=true');
    const types = (artifact.accessories as { type: string; digest: string }[])
      .map((a) => [a.type, a.digest])
      .sort((x, y) => x[0].localeCompare(y[0]));
    expect(types).toEqual([
      ['signature.cosign', sig],
      ['signature.notation', notary.manifestDigest],
      ['subject.accessory', sbom.digest],
    ]);
    expect(await artifactApi(`artifacts/${image.digest}/accessories`)).toHaveLength(3);
    // The product's read-back: Harbor lists each signature as a signature; an SBOM is not one.
    const harborClient = new HarborClient(harbor.url, harbor.admin, http);
    const accessories = await listAccessories(harborClient, { project: 'library', repository: 'app', reference: 'v1' });
    expect(checkListedAsSignature(accessories, sig!, 'signature.cosign', 'library/app:v1').type).toBe(
      'signature.cosign',
    );
    checkListedAsSignature(accessories, notary.manifestDigest, 'signature.notation', 'library/app:v1');
    expect(() => checkListedAsSignature(accessories, sbom.digest, 'signature.cosign', 'library/app:v1')).toThrow(
      `Harbor lists the signature ${sbom.digest} under library/app:v1 as subject.accessory, not signature.cosign: Harbor will show the artifact as unsigned`,
    );
    expect(() => checkListedAsSignature(accessories, image.digest, 'signature.cosign', 'library/app:v1')).toThrow(
      /^Harbor does not list the signature sha256:[a-f0-9]{64} under library\/app:v1 \(it lists signature\.cosign sha256:/,
    );
    // Without with_accessory the field is absent, and the signature's own tag is not listed as an artifact.
    expect((await artifactApi('artifacts/v1')).accessories).toBeUndefined();
    const listed = (await artifactApi('artifacts')) as { digest: string }[];
    expect(listed.map((a) => a.digest)).toEqual([image.digest]);

    // The real tools through Harbor's /v2/: oras discovers every accessory (the .sig too, as Harbor's referrers do),
    // cosign verifies the signature.
    const discovered = await run('oras', [
      'discover',
      '--plain-http',
      '--format',
      'json',
      `${harbor.host}/${REPO}@${image.digest}`,
    ]);
    expect({ code: discovered.code, stderr: discovered.stderr }).toMatchObject({ code: 0 });
    const referrers = (JSON.parse(discovered.stdout) as { referrers: { artifactType: string }[] }).referrers;
    expect(referrers.map((r) => r.artifactType).sort()).toEqual(
      ['application/vnd.oci.image.config.v1+json', Notation.artifactType, SbomMediaType.cyclonedx].sort(),
    );
    fs.writeFileSync(path.join(home, 'cosign.pub'), key.publicKeyPem);
    const verified = await run('cosign', [
      'verify',
      '--key',
      path.join(home, 'cosign.pub'),
      '--insecure-ignore-tlog=true',
      '--allow-http-registry=true',
      `${harbor.host}/${REPO}@${image.digest}`,
    ]);
    expect({ code: verified.code, stderr: verified.stderr }).toMatchObject({ code: 0 });
  });

  it('a cosign signature in the OCI 1.1 referrer layout is signature.cosign too (Harbor >= 2.10), and cosign finds it', async () => {
    const image = await pushImage('v2');
    const client = registry();
    await client.login();
    const signed = await signWithCosignKey({ registry: client, subject: image, key, layout: 'referrer', push: quiet });
    const artifact = await artifactApi('artifacts/v2?with_accessory=true');
    expect(artifact.accessories).toEqual([
      expect.objectContaining({
        type: 'signature.cosign',
        digest: signed.manifestDigest,
        subject_artifact_digest: image.digest,
        subject_artifact_repo: REPO,
      }),
    ]);
    // The referrers API with a filter, as a client holding a pull token asks it.
    const token = await request(`${harbor.url}/service/token?service=harbor-registry&scope=repository:${REPO}:pull`, {
      headers: authHeader(harbor.admin),
    });
    const bearer = (JSON.parse(token.body.toString()) as { token: string }).token;
    const filtered = await request(
      `${harbor.url}/v2/${REPO}/referrers/${image.digest}?artifactType=${encodeURIComponent(Cosign.signatureArtifactType)}`,
      { headers: { authorization: `Bearer ${bearer}` } },
    );
    expect(filtered.status).toBe(200);
    expect(filtered.headers['oci-filters-applied']).toBe('artifactType');
    expect((JSON.parse(filtered.body.toString()) as { manifests: { digest: string }[] }).manifests).toEqual([
      expect.objectContaining({ digest: signed.manifestDigest, artifactType: Cosign.signatureArtifactType }),
    ]);
    const anonymous = await request(`${harbor.url}/v2/${REPO}/referrers/${image.digest}`);
    expect(anonymous.status).toBe(401);
    fs.writeFileSync(path.join(home, 'cosign.pub'), key.publicKeyPem);
    const verified = await run('cosign', [
      'verify',
      '--key',
      path.join(home, 'cosign.pub'),
      '--insecure-ignore-tlog=true',
      '--allow-http-registry=true',
      '--experimental-oci11=true',
      `${harbor.host}/${REPO}@${image.digest}`,
    ]);
    expect({ code: verified.code, stderr: verified.stderr }).toMatchObject({ code: 0 });
  });

  it('deleting the artifact deletes its accessories with it, as Harbor’s deleteDeeply does (all accessories are hard references)', async () => {
    const image = await pushImage('v3');
    const client = registry();
    await client.login();
    const signed = await signWithCosignKey({ registry: client, subject: image, key, layout: 'tag', push: quiet });
    const referrer = await signWithCosignKey({
      registry: client,
      subject: image,
      key,
      layout: 'referrer',
      push: quiet,
    });
    expect((await artifactApi(`artifacts/${image.digest}/accessories`)) as unknown[]).toHaveLength(2);
    const deleted = await request(`${harbor.url}/api/v2.0/projects/library/repositories/app/artifacts/v3`, {
      method: 'DELETE',
      headers: authHeader(harbor.admin),
    });
    expect(deleted.status).toBe(200);
    expect(await client.manifestDigest(signed.manifestDigest)).toBeUndefined();
    expect(await client.manifestDigest(referrer.manifestDigest)).toBeUndefined();
    expect(JSON.parse((await client.referrers(image.digest))!.toString()).manifests).toEqual([]);
  });
});
