import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import { checkListedAsSignature, listAccessories } from '../../harbor/accessories';
import { openHarbor } from '../../harbor/inputs';
import type { SettingsOf } from '../../inputs/definition';
import { checkRepository, isDigest, isTag } from '../../oci/reference';
import { RegistryClient } from '../../oci/registry-client';
import { RemoteError } from '../../remote-error';
import type { Platform } from '../../platform';
import { attachFile, sbomMediaType } from '../../sign/attach';
import { signWithCosignKey, type CosignLayout } from '../../sign/cosign';
import { loadSigningKey } from '../../sign/keys';
import type { ContextOf } from '../../step-context';
import { definition } from './definition';
import { chooseLayout, parseHarborVersion } from './layout';

type Settings = SettingsOf<typeof definition.inputs>;

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
  for (const line of settings.cosignKey.split(/\r?\n/)) {
    const text = line.trim();
    if (text && !text.startsWith('-----')) platform.setSecret(text);
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
  const key = await loadSigningKey(settings.cosignKey, settings.cosignKeyPassword, {
    key: name('cosign-key'),
    password: name('cosign-key-password'),
  });
  const sbom = settings.sbom === undefined ? undefined : await readSbom(settings.sbom, platform, name('sbom'));

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
    const requested = settings.layout as 'auto' | CosignLayout;
    const release =
      requested === 'auto' || settings.verifyInHarbor ? parseHarborVersion(await harbor.harborVersion()) : undefined;
    const choice = chooseLayout(requested, release, {
      verifyInHarbor: settings.verifyInHarbor,
      layoutLabel: name('layout'),
      verifyLabel: name('verify-in-harbor'),
    });
    platform.info(`Signature layout: ${choice.layout} (${choice.reason})`);
    await registry.login();
    const manifest = await registry.getManifest(reference);
    if (!manifest) throw new UserError(`${host}/${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
    const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    const artifact = `${host}/${repository}@${subject.digest}`;
    if (!isDigest(reference)) platform.info(`${repository}:${reference} is ${subject.digest}`);
    const push = { log: (m: string) => platform.info(m), debug: (m: string) => platform.debug(m) };

    const sign = (layout: CosignLayout) => signWithCosignKey({ registry, subject, key, layout, push });
    let signature: Awaited<ReturnType<typeof sign>>;
    try {
      signature = await sign(choice.layout);
    } catch (error) {
      // A tag immutability rule matching the .sig tag refuses its rewrite when another key signs (412,
      // src/server/middleware/immutable/pushmf.go); from Harbor 2.11 the referrer layout is a signature as well.
      if (!(choice.referrerFallback && error instanceof RemoteError && error.status === 412)) throw error;
      platform.warning(
        `Harbor refused to rewrite ${artifact}'s signature tag (an immutable tag rule matches it): writing the signature as an OCI 1.1 referrer, which ${release!.text} lists as a signature too (cosign verify finds it with --experimental-oci11)`,
      );
      signature = await sign('referrer');
    }
    platform.info(
      signature.existing
        ? `${artifact} already carries this key's signature (${signature.manifestDigest}); nothing written`
        : `Signed ${artifact}: ${signature.layout === 'tag' ? `tag ${signature.location}` : 'referrer'} ${signature.manifestDigest}`,
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
      listedAs = checkListedAsSignature(accessories, signature.manifestDigest, 'signature.cosign', artifact).type;
      platform.info(`Harbor lists the signature as ${listedAs}`);
    }
    await platform.addSummary(
      [
        `### Signed \`${host}/${repository}\``,
        '',
        '| | |',
        '| --- | --- |',
        `| Digest | \`${subject.digest}\` |`,
        `| Signature | \`${signature.manifestDigest}\` (${signature.layout === 'tag' ? `\`${signature.location}\`` : 'referrer'}) |`,
        `| Harbor lists it as | ${listedAs} |`,
        ...(sbomDigest ? [`| SBOM | \`${sbomDigest}\` |`] : []),
        '',
      ].join('\n'),
    );
  } finally {
    await http.close();
  }
}

async function readSbom(
  file: string,
  platform: Platform,
  label: string,
): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(workspacePath(platform, file));
  } catch (error) {
    throw new InputError(`Input '${label}': cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { bytes, mediaType: sbomMediaType(bytes, label), fileName: basename(file) };
}
