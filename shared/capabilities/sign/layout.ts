import { InputError } from '../../errors';
import type { CosignLayout } from '../../sign/cosign';

/** Harbor's release as GET /systeminfo shows it to an authenticated caller. */
export interface HarborRelease {
  major: number;
  minor: number;
  patch: number;
  /** As Harbor wrote it, e.g. `v2.15.2-080b0220`. */
  text: string;
}

/**
 * `harbor_version` is `<ReleaseVersion>-<GitCommit>` (src/controller/systeminfo/controller.go GetInfo; the Makefile
 * stamps both), e.g. `v2.15.2-080b0220`. A development build (`dev-…`) or anything else is no release: undefined.
 */
export function parseHarborVersion(text: string | undefined): HarborRelease | undefined {
  // The whole value must look like a release: it is quoted in the log, so nothing else of it is taken.
  const m =
    text === undefined ? null : /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:[-+][0-9A-Za-z.+-]{0,64})?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: m[0] };
}

const atLeast = (r: HarborRelease, major: number, minor: number) =>
  r.major > major || (r.major === major && r.minor >= minor);

/**
 * Which layouts a Harbor release lists as `signature.cosign` (goharbor/harbor tags, read per release):
 * - the `.sig` tag: src/server/middleware/cosign/cosign.go, from v2.5.0 on (still in v2.15.2 and on main);
 * - the OCI 1.1 referrer: src/server/middleware/subject/subject.go types a manifest with a subject by its config media
 *   type `application/vnd.dev.cosign.artifact.sig.v1+json` only from v2.11.0; v2.8–v2.10 list it as
 *   `subject.accessory` (Harbor shows the image as unsigned) and before v2.8 there is no subject middleware at all.
 */
export function listsAsSignature(release: HarborRelease, layout: CosignLayout): boolean {
  return layout === 'tag' ? atLeast(release, 2, 5) : atLeast(release, 2, 11);
}

/**
 * Whether a Harbor release lists a Notary Project signature (an OCI 1.1 referrer whose config is
 * `application/vnd.cncf.notary.signature`) as `signature.notation`: from v2.9.0, where src/server/middleware/subject/
 * subject.go types it and src/pkg/accessory/model/accessory.go gained TypeNotationSignature; v2.8 lists it as
 * `subject.accessory`.
 */
export function listsNotation(release: HarborRelease): boolean {
  return atLeast(release, 2, 9);
}

export interface LayoutChoice {
  layout: CosignLayout;
  /** One sentence for the log: why this layout. */
  reason: string;
  /**
   * Whether a `.sig` tag refused by a tag immutability rule may be replaced by the referrer layout: only when the
   * user left the choice to the step and this Harbor lists referrers as signatures.
   */
  referrerFallback: boolean;
}

/**
 * The layout to write. `auto` (the default) picks the `.sig` tag on every Harbor: every release from 2.5 lists it as a
 * signature, plain `cosign verify --key` and admission controllers read it without an OCI 1.1 flag, and Harbor's
 * replication (src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts) copies it with its tag to any registry, where
 * a referrer is found only through a referrers API the destination may not have. Harbor's version decides the rest:
 * from 2.11, where the referrer is a signature too, a `.sig` tag refused by an immutability rule (a second key signing,
 * src/server/middleware/immutable/pushmf.go) is written as a referrer instead; an explicit `referrer` on a Harbor that
 * would not list it as a signature is refused before anything is written when the step is to check Harbor's listing.
 * An unknown version (systeminfo shows it only to an authenticated caller; a proxy may hide the API) gets the `.sig` tag
 * and no fallback: the one layout every Harbor since 2.5 lists.
 */
export function chooseLayout(
  requested: 'auto' | CosignLayout,
  release: HarborRelease | undefined,
  options: { verifyInHarbor: boolean; layoutLabel: string; verifyLabel: string },
): LayoutChoice {
  const version = release ? `Harbor ${release.text}` : undefined;
  if (requested !== 'auto') {
    if (release && options.verifyInHarbor && !listsAsSignature(release, requested)) {
      throw new InputError(
        `Input '${options.layoutLabel}': ${version} does not list a cosign signature in the ${requested} layout as signature.cosign (${requested === 'referrer' ? 'referrers from Harbor 2.11' : '.sig tags from Harbor 2.5'}); use '${requested === 'referrer' ? 'tag' : 'referrer'}' or 'auto', or set '${options.verifyLabel}' to false`,
      );
    }
    return { layout: requested, reason: `layout '${requested}' as set`, referrerFallback: false };
  }
  if (!release) {
    return {
      layout: 'tag',
      reason:
        "Harbor's version is not known (systeminfo shows it only to a signed-in account, and only a release version counts): the .sig tag, which every Harbor from 2.5 lists as a signature",
      referrerFallback: false,
    };
  }
  if (!listsAsSignature(release, 'tag')) {
    if (options.verifyInHarbor) {
      throw new InputError(
        `${version} lists no cosign signature as signature.cosign (from Harbor 2.5); set '${options.verifyLabel}' to false to sign anyway`,
      );
    }
    return { layout: 'tag', reason: `${version} predates cosign accessories: the .sig tag`, referrerFallback: false };
  }
  const both = listsAsSignature(release, 'referrer');
  return {
    layout: 'tag',
    reason: both
      ? `${version} lists both layouts as signatures: the .sig tag, which plain cosign verify reads and any copy keeps`
      : `${version} lists only the .sig tag layout as a signature (referrers from Harbor 2.11)`,
    referrerFallback: both,
  };
}
