import { createHash } from 'node:crypto';

/**
 * Harbor's accessories (goharbor/harbor v2.15.2; the subject typing per release, see SUBJECT_TYPES), kept by the
 * emulator as Harbor's database does:
 * - src/pkg/accessory/model/accessory.go: the types (signature.cosign, signature.notation, subject.accessory,
 *   accelerator.nydus, sbom.harbor) and the record (artifact, subject repository + digest, size, digest, type);
 * - src/server/middleware/cosign/cosign.go: after a 201 for a manifest PUT to a tag `sha256-<hex>.sig` whose
 *   references include a layer of type application/vnd.dev.cosign.simplesigning.v1+json, a signature.cosign
 *   accessory of `sha256:<hex>`;
 * - src/server/middleware/subject/subject.go: after a 201 for a manifest with a `subject`, an accessory typed by the
 *   manifest's artifactType, else its config media type (notary signature → signature.notation, cosign's
 *   artifact.sig or sigstore bundle → signature.cosign, Harbor's SBOM → sbom.harbor, anything else
 *   subject.accessory), and the answer carries `OCI-Subject`;
 * - src/server/registry/referrers.go: GET /v2/<repo>/referrers/<digest> lists the accessories of the digest (all of
 *   them, .sig signatures included) as an OCI index, filtered by `artifactType` when asked.
 * The subject's existence is not required: clients may push the accessory first (subject.go says so).
 */

const COSIGN_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
/**
 * subject.go's switch, by the release that added each case (read per tag): notary's config type from v2.9.0; in
 * v2.11.0 the switch reads the artifactType first and gained cosign's config type and Harbor's SBOM; the sigstore
 * bundle type from v2.15.0. v2.8 types every manifest with a subject as subject.accessory.
 */
const SUBJECT_TYPES: { type: string; mediaType: string; since: [number, number] }[] = [
  { mediaType: 'application/vnd.cncf.notary.signature', type: 'signature.notation', since: [2, 9] },
  { mediaType: 'application/vnd.dev.cosign.artifact.sig.v1+json', type: 'signature.cosign', since: [2, 11] },
  { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', type: 'signature.cosign', since: [2, 15] },
  { mediaType: 'application/vnd.goharbor.harbor.sbom.v1', type: 'sbom.harbor', since: [2, 11] },
];
const SIG_TAG = /^sha256-([a-f0-9]{64})\.sig$/;

export interface AccessoryRecord {
  id: number;
  repository: string;
  subjectDigest: string;
  digest: string;
  type: string;
  /** The manifest as pushed, for the referrers index (media type, artifactType, annotations, size). */
  manifest: { mediaType: string; artifactType?: string; annotations?: Record<string, string>; size: number };
  /** Harbor's artifact size: the manifest plus every blob it references. */
  size: number;
  created: string;
}

interface Manifest {
  mediaType?: string;
  artifactType?: string;
  config?: { mediaType?: string; size?: number };
  layers?: { mediaType?: string; size?: number }[];
  manifests?: { size?: number }[];
  subject?: { digest?: string };
  annotations?: Record<string, string>;
}

export class Accessories {
  private readonly records: AccessoryRecord[] = [];
  private seq = 0;

  private readonly release: [number, number];

  /** @param harborVersion as systeminfo shows it (`v2.15.2-…`); releases before 2.8 (no subject middleware) are not modelled. */
  constructor(
    private readonly now: () => string,
    harborVersion: string,
  ) {
    const m = /^v(\d+)\.(\d+)\./.exec(harborVersion);
    this.release = m ? [Number(m[1]), Number(m[2])] : [2, 15];
    if (this.release[0] < 2 || (this.release[0] === 2 && this.release[1] < 8)) {
      throw new Error(`the emulator models Harbor's accessories from v2.8 on, not ${harborVersion}`);
    }
  }

  private since([major, minor]: [number, number]): boolean {
    return this.release[0] > major || (this.release[0] === major && this.release[1] >= minor);
  }

  /**
   * What Harbor's cosign and subject middlewares do after the registry accepted a manifest (201). Returns the
   * `OCI-Subject` header value when the manifest has a subject.
   */
  manifestPushed(repository: string, reference: string, contentType: string, body: Buffer): string | undefined {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(body.toString('utf8')) as Manifest;
    } catch {
      return undefined;
    }
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const size =
      body.length +
      [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])].reduce(
        (sum, d) => sum + (d?.size ?? 0),
        0,
      );
    const base = {
      repository,
      digest,
      size,
      manifest: {
        mediaType: manifest.mediaType ?? contentType,
        artifactType: manifest.artifactType ?? manifest.config?.mediaType,
        annotations: manifest.annotations,
        size: body.length,
      },
    };
    const sig = SIG_TAG.exec(reference);
    const references = [manifest.config, ...(manifest.layers ?? [])];
    if (sig && references.some((d) => d?.mediaType === COSIGN_LAYER)) {
      this.ensure({ ...base, subjectDigest: `sha256:${sig[1]}`, type: 'signature.cosign' });
    }
    const subject = manifest.subject?.digest;
    if (!subject) return undefined;
    const from = (this.since([2, 11]) && manifest.artifactType) || manifest.config?.mediaType || '';
    const typed = SUBJECT_TYPES.find((t) => t.mediaType === from && this.since(t.since));
    this.ensure({ ...base, subjectDigest: subject, type: typed?.type ?? 'subject.accessory' });
    return subject;
  }

  /** accessory.Mgr.Create ignores a conflict: one record per (accessory digest, subject). */
  private ensure(record: Omit<AccessoryRecord, 'id' | 'created'>): void {
    const existing = this.records.find(
      (r) =>
        r.repository === record.repository && r.digest === record.digest && r.subjectDigest === record.subjectDigest,
    );
    if (!existing) this.records.push({ ...record, id: ++this.seq, created: this.now() });
  }

  of(repository: string, subjectDigest: string): AccessoryRecord[] {
    return this.records.filter((r) => r.repository === repository && r.subjectDigest === subjectDigest);
  }

  /** The artifact list's default filter keeps accessories out of the list (controller/artifact: base artifacts). */
  isAccessory(repository: string, digest: string): boolean {
    return this.records.some((r) => r.repository === repository && r.digest === digest);
  }

  /**
   * Forgets the accessories of a deleted subject and returns them: every accessory type is a hard reference
   * (src/pkg/accessory/model/*: IsHard), which controller/artifact deleteDeeply deletes with its subject.
   */
  removeSubject(repository: string, subjectDigest: string): AccessoryRecord[] {
    const removed = this.of(repository, subjectDigest);
    for (const r of removed) this.records.splice(this.records.indexOf(r), 1);
    return removed;
  }

  /** The referrers API's answer (src/server/registry/referrers.go). */
  referrersIndex(repository: string, subjectDigest: string, artifactType: string | null): Buffer {
    const manifests = this.of(repository, subjectDigest)
      .filter((r) => !artifactType || r.manifest.artifactType === artifactType)
      .map((r) => ({
        mediaType: r.manifest.mediaType,
        digest: r.digest,
        size: r.manifest.size,
        ...(r.manifest.annotations ? { annotations: r.manifest.annotations } : {}),
        ...(r.manifest.artifactType ? { artifactType: r.manifest.artifactType } : {}),
      }));
    return Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
    );
  }
}
