import { UserError } from '../errors';
import { artifactLabel, artifactPath, type ArtifactRef } from './artifacts';
import type { HarborClient } from './client';

/** Accessory (swagger) as Harbor lists it under its subject (src/server/v2.0/handler/model/accessory.go). */
export interface Accessory {
  digest: string;
  /** signature.cosign, signature.notation, subject.accessory, sbom.harbor, accelerator.nydus (src/pkg/accessory/model). */
  type: string;
  size?: number;
  subject_artifact_digest?: string;
}

/** GET …/artifacts/{reference}/accessories (ListAccessories; needs accessory:list, which every project role has). */
export function listAccessories(harbor: HarborClient, ref: ArtifactRef): Promise<Accessory[]> {
  return harbor.list<Accessory>(
    `${artifactPath(ref)}/accessories`,
    {},
    `listing the accessories of ${artifactLabel(ref)}`,
  );
}

/**
 * Harbor's reading of a signature just written: listed under the artifact as `expected`, or a one-line reason — the
 * #1 complaint about signing with Harbor is a signature it shows as "unsigned". Harbor classifies a cosign signature
 * pushed as an OCI 1.1 referrer only from 2.11 (src/server/middleware/subject/subject.go gained the cosign config type in v2.11.0; v2.8–v2.10 list it as subject.accessory);
 * the `.sig` tag layout is recognised by every 2.x with the cosign middleware.
 */
export function checkListedAsSignature(
  accessories: Accessory[],
  signatureDigest: string,
  expected: 'signature.cosign' | 'signature.notation',
  artifact: string,
): Accessory {
  const found = accessories.find((a) => a.digest === signatureDigest);
  if (!found) {
    throw new UserError(
      `Harbor does not list the signature ${signatureDigest} under ${artifact} (it lists ${accessories.length === 0 ? 'no accessories' : accessories.map((a) => `${a.type} ${a.digest.slice(0, 19)}`).join(', ')}): Harbor did not see the push as an accessory — for cosign on Harbor older than 2.11 use the .sig tag layout`,
    );
  }
  if (found.type !== expected) {
    throw new UserError(
      `Harbor lists the signature ${signatureDigest} under ${artifact} as ${found.type}, not ${expected}: Harbor will show the artifact as unsigned`,
    );
  }
  return found;
}
