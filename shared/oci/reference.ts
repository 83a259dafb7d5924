import { InputError } from '../errors';

/** OCI distribution-spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** OCI distribution-spec `<name>`: path components of lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

const TAG_RULE = 'up to 128 characters of letters, digits, _ . -, not starting with . or -';

export function checkTag(tag: string, inputLabel: string): string {
  if (!isTag(tag))
    throw new InputError(`Input '${inputLabel}': '${tag}' is not a valid tag (OCI tags are ${TAG_RULE})`);
  return tag;
}

export function checkRepository(name: string, inputLabel: string): string {
  if (!REPOSITORY.test(name) || name.length > 255) {
    throw new InputError(
      `Input '${inputLabel}': '${name}' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)`,
    );
  }
  return name;
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** Helm stores chart versions as tags; `+` (semver build metadata) is not allowed in a tag, so Helm writes `_`. */
export function tagForChartVersion(version: string): string {
  return version.replace(/\+/g, '_');
}
