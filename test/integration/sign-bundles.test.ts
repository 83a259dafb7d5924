/**
 * The shipped sign bundles (actions/sign/dist, tasks/HarborSign/dist), as the runners start them: each signs an image
 * in the Harbor emulator (which lists accessories as Harbor does) with a PEM key or the encrypted key file the real
 * `cosign generate-key-pair` wrote, and the real `cosign verify --key` (offline: no transparency log) then accepts the
 * signature — in the `.sig` tag layout, and in the OCI 1.1 referrer layout with `--experimental-oci11`. The same
 * signature on another digest is refused. Each bundle attaches an SBOM (CycloneDX, SPDX) that the real `oras discover`
 * lists under its artifactType and `oras pull` returns byte for byte. Bad input fails with one line naming the input, before any request reaches
 * Harbor. `layout: auto` follows Harbor's version as systeminfo shows it (shared/capabilities/sign/layout.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { signatureTag } from '../../shared/sign/cosign';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { harborAccess, seedImage } from '../sandbox/seed';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { requireGoTool } from '../support/tools';

let harbor: HarborEmulator;
/** A Harbor 2.10 (the release before referrer-layout cosign signatures were listed as signatures). */
let harbor210: HarborEmulator;
/** CNCF Distribution: no Harbor API, so no version to read. */
let plain: RegistryHandle;
let home: string;
let workspace: string;
/** The encrypted key file and its public key, from the real `cosign generate-key-pair`. */
let encrypted: { pem: string; pub: string; password: string };
const digests: Record<string, string> = {};
/** The SBOM each signing case attached (web: the action's CycloneDX, api: the task's SPDX). */
const sbomDigests: Record<string, string> = {};
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sec1 = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
/** A line of the key's body, which must never be displayed. */
const keyLine = (pem: string) => pem.split('\n')[1];

/**
 * Runs a pinned Go tool with the test's isolated HOME: its Docker config holds Harbor's credentials (never argv), and
 * no developer's config or cache is read.
 */
function tool(
  name: 'cosign' | 'oras',
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool(name),
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home, ...options.env }, cwd: options.cwd, timeout: 300_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }),
    ),
  );
}

function cosignVerify(reference: string, publicKey = path.join(home, 'cosign.pub'), extra: string[] = []) {
  return tool('cosign', [
    'verify',
    '--key',
    publicKey,
    '--insecure-ignore-tlog=true',
    '--allow-http-registry=true',
    ...extra,
    reference,
  ]);
}

const oras = (args: string[]) => tool('oras', args);

/** A key file as the user has it: made by the real cosign, the password handed to cosign in its environment only. */
async function cosignGenerateKeyPair(dir: string, password: string): Promise<void> {
  const made = await tool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(dir, 'cosign')], {
    env: { COSIGN_PASSWORD: password },
    cwd: dir,
  });
  if (made.code !== 0) throw new Error(`cosign generate-key-pair: ${made.stderr}`);
}

/**
 * What a run leaves for a secret to hide in besides its log: every process it started (recorded by a preload,
 * test/support/record-processes.cjs) and every file in its temp directories. Returns the env that sets this up.
 */
function watchRun(): {
  env: Record<string, string>;
  processes: () => { command: string; argv: string[] }[];
  files: () => string;
} {
  const dir = makeTempDir('sign-watch');
  const record = path.join(dir, 'processes.jsonl');
  const temp = path.join(dir, 'temp');
  fs.mkdirSync(temp);
  const env = {
    NODE_OPTIONS: `--require ${path.join(__dirname, '..', 'support', 'record-processes.cjs')}`,
    RECORD_PROCESSES_FILE: record,
    TMPDIR: temp,
    RUNNER_TEMP: temp,
    AGENT_TEMPDIRECTORY: temp,
  };
  return {
    env,
    processes: () =>
      fs.existsSync(record)
        ? fs
            .readFileSync(record, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { command: string; argv: string[] })
        : [],
    files: () =>
      (fs.readdirSync(temp, { recursive: true }) as string[])
        .map((f) => path.join(temp, f))
        .filter((f) => fs.statSync(f).isFile())
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n'),
  };
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
  harbor = await startHarborEmulator({ projects: [{ name: 'shop' }, { name: 'locked' }] });
  harbor210 = await startHarborEmulator({ projects: [{ name: 'shop' }], harborVersion: 'v2.10.3-5c7a7f0e' });
  plain = await startRegistry();
  digests.web = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
  digests.api = await seedImage(harborAccess(harbor), 'shop/api', '2.0');
  digests.enc = await seedImage(harborAccess(harbor), 'shop/enc', '3.0');
  digests.ref = await seedImage(harborAccess(harbor), 'shop/ref', '4.0');
  digests.locked = await seedImage(harborAccess(harbor), 'locked/app', '1.0');
  digests.old = await seedImage(harborAccess(harbor210), 'shop/old', '1.0');
  digests.plain = await seedImage({ host: plain.host }, 'shop/plain', '1.0');
  // Every tag of project `locked` is immutable: a second key cannot rewrite the .sig tag (pushmf.go answers 412).
  harbor.addImmutableRule('locked', { repository: '**', tag: '**' });
  home = makeTempDir('sign-bundles-home');
  // cosign reads registry credentials from the Docker config (0600), never from argv.
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  const auth = (h: HarborEmulator) => ({
    auth: Buffer.from(`${h.admin.username}:${h.admin.password}`).toString('base64'),
  });
  fs.writeFileSync(
    path.join(home, '.docker', 'config.json'),
    JSON.stringify({ auths: { [harbor.host]: auth(harbor), [harbor210.host]: auth(harbor210) } }),
    { mode: 0o600 },
  );
  const keys = makeTempDir('sign-bundles-keys');
  encrypted = { pem: '', pub: path.join(keys, 'cosign.pub'), password: 'Pw-only-in-secret-9f3c' };
  await cosignGenerateKeyPair(keys, encrypted.password);
  encrypted.pem = fs.readFileSync(path.join(keys, 'cosign.key'), 'utf8');
  fs.writeFileSync(path.join(home, 'cosign.pub'), publicPem);
  workspace = makeTempDir('sign-bundles-workspace');
  fs.writeFileSync(
    path.join(workspace, 'sbom.cdx.json'),
    JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 }),
  );
  fs.writeFileSync(
    path.join(workspace, 'sbom.spdx.json'),
    JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'api', dataLicense: 'CC0-1.0' }),
  );
}, 400_000);

afterAll(async () => {
  await harbor?.stop();
  await harbor210?.stop();
  await plain?.stop();
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
    sbomDigests.web = run.outputs['sbom-digest'];
    expect(run.displayed).toContain('Harbor lists the signature as signature.cosign');
    expect(run.displayed).not.toContain(keyLine(pkcs8));
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(await cosignVerify(`${harbor.host}/shop/web@${digests.web}`)).toMatchObject({ code: 0 });
  }, 400_000);

  it('Azure DevOps task: a digest reference signed with an EC PRIVATE KEY, an SPDX SBOM attached, outputs as task variables, cosign verify accepts it', async () => {
    const run = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/api',
        reference: digests.api,
        cosignKey: sec1,
        sbom: 'sbom.spdx.json',
      },
      { endpoints: endpoints(), cwd: workspace, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests.api);
    expect(run.outputs.signatureDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.sbomDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    sbomDigests.api = run.outputs.sbomDigest;
    expect(run.displayed).not.toContain(keyLine(sec1));
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(await cosignVerify(`${harbor.host}/shop/api@${digests.api}`)).toMatchObject({ code: 0 });
  }, 400_000);

  it("oras discover lists each bundle's SBOM under its artifactType, and oras pull gets the user's bytes back", async () => {
    // Runs after the two signing cases above (jest keeps the order within a file); each left its SBOM's digest.
    const cases = [
      { repo: 'shop/web', digest: digests.web, file: 'sbom.cdx.json', type: 'application/vnd.cyclonedx+json' },
      { repo: 'shop/api', digest: digests.api, file: 'sbom.spdx.json', type: 'application/spdx+json' },
    ];
    for (const c of cases) {
      const discovered = await oras([
        'discover',
        '--plain-http',
        '--format',
        'json',
        `${harbor.host}/${c.repo}@${c.digest}`,
      ]);
      expect({ code: discovered.code, stderr: discovered.stderr }).toMatchObject({ code: 0 });
      const listed =
        (JSON.parse(discovered.stdout) as { referrers?: { digest: string; artifactType: string }[] }).referrers ?? [];
      const sbom = sbomDigests[c.repo === 'shop/web' ? 'web' : 'api'];
      expect(listed).toContainEqual(expect.objectContaining({ digest: sbom, artifactType: c.type }));

      const out = makeTempDir('sign-bundles-oras-pull');
      const pulled = await oras(['pull', '--plain-http', '-o', out, `${harbor.host}/${c.repo}@${sbom}`]);
      expect({ code: pulled.code, stderr: pulled.stderr }).toMatchObject({ code: 0 });
      expect(fs.readFileSync(path.join(out, c.file))).toEqual(fs.readFileSync(path.join(workspace, c.file)));
    }
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

  it("GitHub action: cosign's encrypted key file with its password signs in the referrer layout; cosign verify finds it only as a referrer; no secret in the log, on a command line or in a temp file", async () => {
    const watch = watchRun();
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/ref',
        reference: '4.0',
        'cosign-key': encrypted.pem,
        'cosign-key-password': encrypted.password,
        layout: 'referrer',
      },
      { cwd: workspace, timeoutMs: 120_000, env: watch.env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests.ref);
    expect(run.displayed).toContain('Signature layout: referrer');
    expect(run.displayed).toContain('Harbor lists the signature as signature.cosign');
    // A referrer: no .sig tag, so the plain verify below fails and the OCI 1.1 one passes on the referrer alone.
    expect(harbor.requests({ method: 'PUT', path: /\.sig$/ })).toEqual([]);
    expect(await cosignVerify(`${harbor.host}/shop/ref@${digests.ref}`, encrypted.pub)).toMatchObject({ code: 1 });
    expect(
      await cosignVerify(`${harbor.host}/shop/ref@${digests.ref}`, encrypted.pub, ['--experimental-oci11=true']),
    ).toMatchObject({ code: 0 });
    // The password and every line of the key: masked (registered) and absent from what is displayed, from stderr,
    // from every command line the step started (none) and from every file left in its temp directories.
    const secrets = [encrypted.password, ...encrypted.pem.split('\n').filter((l) => l && !l.startsWith('-----'))];
    expect(run.stdout).toContain(`::add-mask::${encrypted.password}`);
    for (const secret of secrets) {
      expect(run.displayed).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      expect(watch.files()).not.toContain(secret);
    }
    expect(watch.processes()).toEqual([]);
  }, 400_000);

  it('the process recorder sees a process a bundle starts (so an empty list above means none was started)', () => {
    const watch = watchRun();
    execFileSync(process.execPath, ['-e', "require('node:child_process').execFileSync('true', ['--flag'])"], {
      env: { PATH: process.env.PATH ?? '', ...watch.env },
    });
    expect(watch.processes()).toEqual([{ command: 'true', argv: ['--flag'] }]);
  });

  it('Azure DevOps task: the encrypted key with its password, layout auto on Harbor 2.15 → the .sig tag; cosign verify accepts it and refuses it on another digest', async () => {
    const watch = watchRun();
    const run = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/enc',
        reference: '3.0',
        cosignKey: encrypted.pem,
        cosignKeyPassword: encrypted.password,
      },
      { endpoints: endpoints(), timeoutMs: 120_000, env: watch.env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests.enc);
    expect(run.displayed).toContain('Signature layout: tag (Harbor v2.15.2-080b0220 lists both layouts as signatures');
    expect(run.displayed).toContain('Harbor lists the signature as signature.cosign');
    expect(run.stdout).toContain(`##vso[task.setsecret]${encrypted.password}`);
    for (const secret of [encrypted.password, encrypted.pem.split('\n')[1]]) {
      expect(run.displayed).not.toContain(secret);
      expect(watch.files()).not.toContain(secret);
    }
    expect(watch.processes()).toEqual([]);
    expect(await cosignVerify(`${harbor.host}/shop/enc@${digests.enc}`, encrypted.pub)).toMatchObject({ code: 0 });

    // Tamper: our signature manifest put where cosign looks for another image's signatures. The signature is valid
    // but binds the signed digest, so cosign must refuse it for the other one.
    const tampered = await seedImage(harborAccess(harbor), 'shop/enc', 'other');
    const http = new HttpClient({ timeoutMs: 60_000 });
    try {
      const client = new RegistryClient(
        http,
        harbor.url,
        'shop/enc',
        { username: harbor.admin.username, password: harbor.admin.password },
        { onSecret: () => undefined },
      );
      await client.login();
      const sig = await client.getManifest(signatureTag(digests.enc));
      await client.putManifest(signatureTag(tampered), sig!.mediaType, sig!.bytes, sig!.digest);
    } finally {
      await http.close();
    }
    const refused = await cosignVerify(`${harbor.host}/shop/enc@${tampered}`, encrypted.pub);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/invalid or missing digest in claim/);
  }, 400_000);

  it('a wrong password fails with one line naming the password input as each platform spells it; nothing reaches Harbor', async () => {
    harbor.clearRequests();
    const wrong = 'not-the-password';
    const action = await runActionBundle('sign', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      repository: 'shop/web',
      reference: '1.0',
      'cosign-key': encrypted.pem,
      'cosign-key-password': wrong,
    });
    expect(action.code).toBe(1);
    expect(action.stderr).toBe('');
    const errors = action.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'cosign-key-password'");
    expect(action.displayed).not.toContain(wrong);
    expect(action.stdout).not.toMatch(/\n\s+at /);

    const task = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/web',
        reference: '1.0',
        cosignKey: encrypted.pem,
        cosignKeyPassword: wrong,
      },
      { endpoints: endpoints() },
    );
    expect(task.code).not.toBe(0);
    const failed = task.stdout.split('\n').filter((l) => l.startsWith('##vso[task.complete result=Failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("'cosignKeyPassword'");
    expect(task.displayed).not.toContain(wrong);
    expect(harbor.requests()).toEqual([]);
  }, 120_000);
});

describe("layout auto follows Harbor's version (systeminfo)", () => {
  it('Harbor 2.10: auto writes the .sig tag; an explicit referrer is refused naming the input, before anything is written', async () => {
    const conn = {
      'harbor-url': harbor210.url,
      username: harbor210.admin.username,
      password: harbor210.admin.password,
      repository: 'shop/old',
      reference: '1.0',
      'cosign-key': pkcs8,
    };
    harbor210.clearRequests();
    const refused = await runActionBundle('sign', { ...conn, layout: 'referrer' });
    expect(refused.code).toBe(1);
    const errors = refused.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringContaining(
        "Input 'layout': Harbor v2.10.3-5c7a7f0e does not list a cosign signature in the referrer layout as signature.cosign",
      ),
    ]);
    expect(harbor210.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2.0/systeminfo']);

    const run = await runActionBundle('sign', conn, { timeoutMs: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.displayed).toContain('Signature layout: tag (Harbor v2.10.3-5c7a7f0e lists only the .sig tag layout');
    expect(run.displayed).toContain('Harbor lists the signature as signature.cosign');
    expect(await cosignVerify(`${harbor210.host}/shop/old@${digests.old}`)).toMatchObject({ code: 0 });
  }, 400_000);

  it('Harbor 2.10 lists a referrer-layout cosign signature as subject.accessory: signed with the check off, Harbor lists it as subject.accessory', async () => {
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor210.url,
        username: harbor210.admin.username,
        password: harbor210.admin.password,
        repository: 'shop/old',
        reference: '1.0',
        'cosign-key': sec1,
        layout: 'referrer',
        'verify-in-harbor': 'false',
      },
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    const listed = await fetch(
      `${harbor210.url}/api/v2.0/projects/shop/repositories/old/artifacts/${digests.old}/accessories`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${harbor210.admin.username}:${harbor210.admin.password}`).toString('base64')}`,
        },
      },
    );
    const accessories = (await listed.json()) as { digest: string; type: string }[];
    expect(accessories.find((a) => a.digest === run.outputs['signature-digest'])?.type).toBe('subject.accessory');
  }, 400_000);

  it('an immutable .sig tag on Harbor 2.15: the second key is written as a referrer, both verify, Harbor lists both as signatures', async () => {
    const conn = {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      repository: 'locked/app',
      reference: '1.0',
    };
    const first = await runActionBundle('sign', { ...conn, 'cosign-key': pkcs8 }, { timeoutMs: 120_000 });
    expect(first.code).toBe(0);
    expect(first.displayed).toContain(`tag ${signatureTag(digests.locked)}`);
    const second = await runActionBundle(
      'sign',
      { ...conn, 'cosign-key': encrypted.pem, 'cosign-key-password': encrypted.password },
      { timeoutMs: 120_000 },
    );
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const warnings = second.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual([expect.stringContaining('an immutable tag rule matches it')]);
    expect(second.displayed).toContain('Harbor lists the signature as signature.cosign');
    const image = `${harbor.host}/locked/app@${digests.locked}`;
    expect(await cosignVerify(image)).toMatchObject({ code: 0 });
    expect(await cosignVerify(image, encrypted.pub, ['--experimental-oci11=true'])).toMatchObject({ code: 0 });
  }, 400_000);

  it('no Harbor API to read a version from (CNCF Distribution, anonymous): auto writes the .sig tag and says why', async () => {
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': plain.url,
        repository: 'shop/plain',
        reference: '1.0',
        'cosign-key': pkcs8,
        'verify-in-harbor': 'false',
      },
      { timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.displayed).toContain("Signature layout: tag (Harbor's version is not known");
    expect(await cosignVerify(`${plain.host}/shop/plain@${digests.plain}`)).toMatchObject({ code: 0 });
  }, 400_000);
});
