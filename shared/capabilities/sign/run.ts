import type { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KeyVaultClient, parseKeyId, type KeyVaultKeyId } from '../../azure/key-vault';
import { signInToAzure } from '../../azure/sign-in';
import { workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import { checkListedAsSignature, listAccessories } from '../../harbor/accessories';
import { openHarbor } from '../../harbor/inputs';
import type { HttpClient } from '../../http/client';
import type { SettingsOf } from '../../inputs/definition';
import { checkRepository, isDigest, isTag } from '../../oci/reference';
import { RegistryClient } from '../../oci/registry-client';
import { RemoteError } from '../../remote-error';
import type { Platform } from '../../platform';
import { attachFile, sbomMediaType } from '../../sign/attach';
import { signWithCosignKey, type CosignLayout } from '../../sign/cosign';
import { loadNotationKey, loadSigningKey, type SigningKey } from '../../sign/keys';
import {
  checkedKeyVaultSigner,
  localSigner,
  parseChain,
  signWithNotation,
  type NotationEnvelope,
  type NotationSigner,
} from '../../sign/notation';
import { httpTimestamper, parseTsaRoot, type Timestamper } from '../../sign/timestamp';
import type { ContextOf } from '../../step-context';
import { definition } from './definition';
import { chooseLayout, listsNotation, parseHarborVersion, type HarborRelease, type LayoutChoice } from './layout';

type Settings = SettingsOf<typeof definition.inputs>;
type Context = ContextOf<typeof definition>;

/** What signs, judged from the inputs alone (no request made yet). */
type KeyChoice =
  | { type: 'cosign'; key: SigningKey }
  | {
      type: 'notation';
      chain: X509Certificate[];
      local?: NotationSigner;
      keyVault?: KeyVaultKeyId;
      tsa?: { url: string; root: X509Certificate };
    };

/**
 * The sign step: every input is judged locally first (repository, reference, key, password, SBOM), so a bad key or a
 * missing file fails before anything is written; then the reference is resolved to its digest, the digest is signed
 * with the cosign key, the SBOM attached, and Harbor's own listing of the artifact's accessories is read back.
 */
export async function runSign(settings: Settings, ctx: ContextOf<typeof definition>): Promise<void> {
  const { platform } = ctx;
  const name = ctx.label;
  // Runners mask line by line (task-lib refuses a multi-line secret): every line of the PEM body is registered before
  // the key is parsed. The BEGIN/END markers are not secret. The password is a secret input, masked when read.
  for (const pem of [settings.cosignKey, settings.notationKey]) {
    for (const line of (pem ?? '').split(/\r?\n/)) {
      const text = line.trim();
      if (text && !text.startsWith('-----')) platform.setSecret(text);
    }
  }
  if (settings.password) platform.setSecret(settings.password);

  const repository = checkRepository(settings.repository, name('repository'));
  const slash = repository.indexOf('/');
  if (slash < 0) {
    throw new InputError(
      `Input '${name('repository')}' must name the project too, e.g. library/web (got '${repository}')`,
    );
  }
  const reference = settings.reference;
  if (!isDigest(reference) && !isTag(reference)) {
    throw new InputError(`Input '${name('reference')}' must be a tag or a sha256:<64 hex> digest (got '${reference}')`);
  }
  const keyChoice = await chooseKey(settings, ctx);
  const sbom = settings.sbom === undefined ? undefined : await readSbom(settings.sbom, platform, name('sbom'));

  // A Key Vault key is checked (GetKey: enabled, may sign, the leaf certificate's key) before Harbor hears of the run.
  // Key Vault gets the runner's trust settings, never Harbor's insecure flag or CA file.
  const keyVaultHttp =
    keyChoice.type === 'notation' && keyChoice.keyVault
      ? ctx.http({
          timeoutMs: Math.min(60_000, settings.timeout),
          budget: { ms: settings.timeout, input: name('timeout') },
        })
      : undefined;
  // The TSA gets the runner's trust settings too, and its own client: it is neither Harbor nor Key Vault.
  const tsa = keyChoice.type === 'notation' ? keyChoice.tsa : undefined;
  const tsaHttp = tsa
    ? ctx.http({
        timeoutMs: Math.min(60_000, settings.timeout),
        budget: { ms: settings.timeout, input: name('timeout') },
      })
    : undefined;
  const stamp =
    tsa &&
    httpTimestamper(
      tsaHttp!,
      tsa.url,
      tsa.root,
      { url: name('timestamp-url'), root: name('timestamp-root-cert') },
      () => new Date(ctx.clock.now()),
    );
  const timestamp: Timestamper | undefined =
    stamp &&
    (async (signature, hash) => {
      const token = await stamp(signature, hash);
      platform.info(`Time-stamped the signature at ${new URL(tsa!.url).host} (RFC 3161, ${hash.toUpperCase()})`);
      return token;
    });
  let notationSigner: NotationSigner | undefined;
  try {
    if (keyChoice.type === 'notation') {
      notationSigner =
        keyChoice.local ??
        (await keyVaultSigner(keyChoice.keyVault!, keyChoice.chain[0], settings, ctx, keyVaultHttp!));
    }
  } catch (error) {
    await keyVaultHttp?.close();
    await tsaHttp?.close();
    throw error;
  }

  const { harbor, http } = openHarbor(platform, definition.inputs, settings, {
    timeoutMs: Math.min(60_000, settings.timeout),
    budget: { ms: settings.timeout, input: name('timeout') },
  });
  try {
    const registry = new RegistryClient(
      http,
      settings.harborUrl,
      repository,
      { username: settings.username, password: settings.password },
      { onSecret: (v) => platform.setSecret(v) },
    );
    const host = registry.host;
    // Harbor's version decides the layout (./layout.ts) — read before anything is written, so a layout this Harbor
    // would not list as a signature is refused with nothing half-written.
    // A Notation signature is always an OCI 1.1 referrer, which Harbor lists as signature.notation from 2.9 on.
    let release: HarborRelease | undefined;
    let choice: LayoutChoice | undefined;
    if (keyChoice.type === 'notation' && settings.verifyInHarbor) {
      release = parseHarborVersion(await harbor.harborVersion());
      if (release && !listsNotation(release)) {
        throw new InputError(
          `Input '${name('signature-type')}': Harbor ${release.text} does not list a Notation signature as signature.notation (Harbor lists them from 2.9); set '${name('verify-in-harbor')}' to false to sign anyway`,
        );
      }
    } else if (keyChoice.type === 'cosign') {
      const requested = settings.layout as 'auto' | CosignLayout;
      release =
        requested === 'auto' || settings.verifyInHarbor ? parseHarborVersion(await harbor.harborVersion()) : undefined;
      choice = chooseLayout(requested, release, {
        verifyInHarbor: settings.verifyInHarbor,
        layoutLabel: name('layout'),
        verifyLabel: name('verify-in-harbor'),
      });
      platform.info(`Signature layout: ${choice.layout} (${choice.reason})`);
    }
    await registry.login();
    const manifest = await registry.getManifest(reference);
    if (!manifest) throw new UserError(`${host}/${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
    const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    const artifact = `${host}/${repository}@${subject.digest}`;
    if (!isDigest(reference)) platform.info(`${repository}:${reference} is ${subject.digest}`);
    const push = { log: (m: string) => platform.info(m), debug: (m: string) => platform.debug(m) };

    let signature: { manifestDigest: string; existing: boolean; where: string };
    if (keyChoice.type === 'cosign') {
      const key = keyChoice.key;
      const layoutChoice = choice!;
      const sign = (layout: CosignLayout) => signWithCosignKey({ registry, subject, key, layout, push });
      let cosign: Awaited<ReturnType<typeof sign>>;
      try {
        cosign = await sign(layoutChoice.layout);
      } catch (error) {
        // A tag immutability rule matching the .sig tag refuses its rewrite when another key signs (412,
        // src/server/middleware/immutable/pushmf.go); from Harbor 2.11 the referrer layout is a signature as well.
        if (!(layoutChoice.referrerFallback && error instanceof RemoteError && error.status === 412)) throw error;
        platform.warning(
          `Harbor refused to rewrite ${artifact}'s signature tag (an immutable tag rule matches it): writing the signature as an OCI 1.1 referrer, which ${release!.text} lists as a signature too (cosign verify finds it with --experimental-oci11)`,
        );
        cosign = await sign('referrer');
      }
      signature = {
        ...cosign,
        where: cosign.layout === 'tag' ? `tag ${cosign.location}` : 'referrer',
      };
    } else {
      const envelope = settings.signatureFormat as NotationEnvelope;
      const now = new Date(ctx.clock.now());
      const notation = await signWithNotation({
        registry,
        subject,
        signer: notationSigner!,
        chain: keyChoice.chain,
        now,
        ...(settings.notationExpiry !== undefined ? { expiry: new Date(now.getTime() + settings.notationExpiry) } : {}),
        ...(timestamp ? { timestamp } : {}),
        envelope,
        labels: { key: name(keyChoice.keyVault ? 'key-vault-key-id' : 'notation-key') },
        push,
      });
      signature = { ...notation, where: `Notation ${envelope.toUpperCase()} referrer` };
    }
    platform.info(
      signature.existing
        ? `${artifact} already carries this ${keyChoice.type === 'cosign' ? "key's" : "certificate's"} signature (${signature.manifestDigest}); nothing written`
        : `Signed ${artifact}: ${signature.where} ${signature.manifestDigest}`,
    );
    ctx.setOutput('digest', subject.digest);
    ctx.setOutput('signature-digest', signature.manifestDigest);

    let sbomDigest: string | undefined;
    if (sbom) {
      const attached = await attachFile({
        registry,
        subject,
        artifactType: sbom.mediaType,
        bytes: sbom.bytes,
        fileName: sbom.fileName,
        created: new Date(ctx.clock.now()).toISOString(),
        push,
      });
      sbomDigest = attached.digest;
      platform.info(
        `${attached.existing ? 'SBOM already attached' : 'Attached SBOM'} (${sbom.mediaType}): ${attached.digest}`,
      );
      ctx.setOutput('sbom-digest', attached.digest);
    }

    let listedAs = 'not checked';
    if (settings.verifyInHarbor) {
      const ref = {
        project: repository.slice(0, slash),
        repository: repository.slice(slash + 1),
        reference: subject.digest,
      };
      const accessories = await listAccessories(harbor, ref);
      listedAs = checkListedAsSignature(
        accessories,
        signature.manifestDigest,
        keyChoice.type === 'cosign' ? 'signature.cosign' : 'signature.notation',
        artifact,
      ).type;
      platform.info(`Harbor lists the signature as ${listedAs}`);
    }
    await platform.addSummary(
      [
        `### Signed \`${host}/${repository}\``,
        '',
        '| | |',
        '| --- | --- |',
        `| Digest | \`${subject.digest}\` |`,
        `| Signature | \`${signature.manifestDigest}\` (${signature.where}) |`,
        `| Harbor lists it as | ${listedAs} |`,
        ...(sbomDigest ? [`| SBOM | \`${sbomDigest}\` |`] : []),
        '',
      ].join('\n'),
    );
  } finally {
    await http.close();
    await keyVaultHttp?.close();
    await tsaHttp?.close();
  }
}

/** The signing key from the inputs, every problem an input error before any request. */
async function chooseKey(settings: Settings, ctx: Context): Promise<KeyChoice> {
  const name = ctx.label;
  const set = (
    key:
      | 'cosign-key'
      | 'notation-key'
      | 'key-vault-key-id'
      | 'notation-certificate-chain'
      | 'notation-expiry'
      | 'timestamp-url'
      | 'timestamp-root-cert',
  ) => ctx.setting(settings, key) !== undefined;
  if (settings.signatureType === 'cosign') {
    if (settings.signatureFormat !== 'jws') {
      throw new InputError(
        `Input '${name('signature-format')}' is ${settings.signatureFormat}, an envelope of Notation signatures, but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`,
      );
    }
    const notationOnly = (['notation-expiry', 'timestamp-url', 'timestamp-root-cert'] as const).find(set);
    if (notationOnly) {
      throw new InputError(
        `Input '${name(notationOnly)}' is set but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`,
      );
    }
    if (!set('cosign-key')) {
      const notation = (['notation-key', 'key-vault-key-id'] as const).find(set);
      throw new InputError(
        notation
          ? `Input '${name(notation)}' is set but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`
          : `Input required and not supplied: ${name('cosign-key')} (with '${name('signature-type')}' cosign)`,
      );
    }
    const key = await loadSigningKey(settings.cosignKey!, settings.cosignKeyPassword, {
      key: name('cosign-key'),
      password: name('cosign-key-password'),
    });
    return { type: 'cosign', key };
  }
  checkExpiry(settings.notationExpiry, name('notation-expiry'));
  if (set('notation-key') === set('key-vault-key-id')) {
    throw new InputError(
      set('notation-key')
        ? `Inputs '${name('notation-key')}' and '${name('key-vault-key-id')}' are both set: give one (a local key, or a key in Azure Key Vault)`
        : `Input required and not supplied: ${name('notation-key')} or ${name('key-vault-key-id')} (with '${name('signature-type')}' notation)`,
    );
  }
  if (!set('notation-certificate-chain')) {
    throw new InputError(
      `Input required and not supplied: ${name('notation-certificate-chain')} (with '${name('signature-type')}' notation)`,
    );
  }
  // As notation's flags, the TSA URL and its root come together (cobra MarkFlagsRequiredTogether in sign.go).
  if (set('timestamp-url') !== set('timestamp-root-cert')) {
    const [given, missing] = set('timestamp-url')
      ? (['timestamp-url', 'timestamp-root-cert'] as const)
      : (['timestamp-root-cert', 'timestamp-url'] as const);
    throw new InputError(`Input '${name(given)}' needs '${name(missing)}' too: give both or neither`);
  }
  const tsa =
    settings.timestampUrl !== undefined
      ? {
          url: settings.timestampUrl,
          root: parseTsaRoot(
            await readPem(settings.timestampRootCert!, name('timestamp-root-cert'), ctx),
            name('timestamp-root-cert'),
          ),
        }
      : undefined;
  const chainPem = await readPem(settings.notationCertificateChain!, name('notation-certificate-chain'), ctx);
  const labels = { chain: name('notation-certificate-chain') };
  if (settings.keyVaultKeyId !== undefined) {
    const keyVault = parseKeyId(settings.keyVaultKeyId, name('key-vault-key-id'));
    return {
      type: 'notation',
      chain: parseChain(chainPem, undefined, { ...labels, key: name('key-vault-key-id') }),
      keyVault,
      ...(tsa ? { tsa } : {}),
    };
  }
  const key = loadNotationKey(settings.notationKey!, name('notation-key'));
  const chain = parseChain(chainPem, key, { ...labels, key: name('notation-key') });
  return { type: 'notation', chain, local: localSigner(key), ...(tsa ? { tsa } : {}) };
}

/** notation's longest --expiry: Go's time.Duration tops out at 2562047h47m16.854775807s (about 292 years). */
const MAX_EXPIRY_MS = 2_562_047 * 3_600_000;

/**
 * The expiry as notation takes it: whole seconds (notation-go v1.3.2 notation.go validateSignArguments refuses a
 * finer duration) and no longer than a Go duration can be (notation's flag parser refuses that).
 */
function checkExpiry(ms: number | undefined, label: string): void {
  if (ms === undefined) return;
  if (ms % 1000 !== 0) {
    throw new InputError(`Input '${label}' must be whole seconds, as notation's --expiry (e.g. 90s, 24h, 30d)`);
  }
  if (ms > MAX_EXPIRY_MS) {
    throw new InputError(
      `Input '${label}' must be at most 2562047h (about 292 years, the longest expiry notation takes)`,
    );
  }
}

/**
 * A certificate input holds PEM, or names a PEM file in the workspace (public certificates are often kept in the
 * repository): notation-certificate-chain and timestamp-root-cert.
 */
async function readPem(value: string, label: string, ctx: Context): Promise<string> {
  if (value.includes('-----BEGIN')) return value;
  const file = value.trim();
  try {
    return await readFile(workspacePath(ctx.platform, file), 'utf8');
  } catch (error) {
    throw new InputError(
      `Input '${label}': neither PEM nor a readable file: ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/**
 * The pack's Azure sign-in (azureSubscription on Azure DevOps; GitHub OIDC or the Azure CLI login on GitHub) for Key
 * Vault, and the key checked through GetKey before anything is signed.
 */
async function keyVaultSigner(
  key: KeyVaultKeyId,
  leaf: X509Certificate,
  settings: Settings,
  ctx: Context,
  http: HttpClient,
): Promise<NotationSigner> {
  const name = ctx.label;
  const signIn = signInToAzure(
    settings,
    { clientId: name('client-id'), tenantId: name('tenant-id') },
    http,
    ctx.platform,
  );
  const signer = await checkedKeyVaultSigner(new KeyVaultClient(http, signIn.credential), key, leaf, {
    chain: name('notation-certificate-chain'),
    key: name('key-vault-key-id'),
  });
  ctx.platform.info(
    `Signed in to Azure with ${signIn.credential.description}; Key Vault key ${key.name}/${key.version} signs`,
  );
  return signer;
}

const MIB = 1024 * 1024;
/** Far above a real SBOM (syft's for a large distro image is tens of MiB), far below what would exhaust a runner. */
const MAX_SBOM_BYTES = 256 * MIB;

async function readSbom(
  file: string,
  platform: Platform,
  label: string,
): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
  let bytes: Buffer;
  try {
    const path = workspacePath(platform, file);
    // Checked before reading: the file is held in memory and parsed whole.
    const size = (await stat(path)).size;
    if (size > MAX_SBOM_BYTES) {
      throw new InputError(
        `Input '${label}': ${file} is ${Math.ceil(size / MIB)} MiB; the step attaches SBOMs up to ${MAX_SBOM_BYTES / MIB} MiB`,
      );
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`Input '${label}': cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { bytes, mediaType: sbomMediaType(bytes, label), fileName: basename(file) };
}
