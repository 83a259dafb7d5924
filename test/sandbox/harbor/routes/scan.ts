import { HttpError, childDigests, type Ctx, type HarborState, type Reply, type Routes } from '../state';
import { findArtifact, isScannable } from './artifacts';

// Scan routes (src/server/v2.0/handler/scan.go; the vulnerabilities addition: artifact.go GetAddition).

export const scanRoutes = {
  async scanArtifact(s: HarborState, ctx: Ctx): Promise<Reply> {
    // ScanArtifact requires scan:create (src/server/v2.0/handler/scan.go): Maintainer and ProjectAdmin, not Developer.
    const { repository, artifact } = await findArtifact(s, ctx, 'scan:create');
    if (!isScannable(artifact))
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `the configured scanner Trivy does not support scanning artifact with mime type ${artifact.mediaType}`,
      );
    const { conflict } = s.scans.start(repository, artifact.digest, childDigests(artifact.manifest));
    if (conflict) throw new HttpError(409, 'CONFLICT', `a previous scan process is ${conflict}`);
    return { status: 202 };
  },

  async getReportLog(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'scan:read');
    const log = s.scans.log(repository, artifact.digest, ctx.params.report_id);
    if (log === undefined) throw new HttpError(404, 'NOT_FOUND', `report ${ctx.params.report_id} not found`);
    return { status: 200, text: log };
  },

  async stopScanArtifact(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'scan:stop');
    if (!s.scans.cancel(repository, artifact.digest))
      throw new HttpError(400, 'BAD_REQUEST', 'no running scan to stop');
    return { status: 202 };
  },

  async getVulnerabilitiesAddition(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'artifact-addition:read');
    const body = s.scans.additions(
      repository,
      artifact.digest,
      ctx.req.headers['x-accept-vulnerabilities'] as string | undefined,
      childDigests(artifact.manifest),
    );
    // swagger declares `schema: type: string`: Harbor writes the JSON map as an opaque string body.
    return { status: 200, text: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  },
} satisfies Routes;
