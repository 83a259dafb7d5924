import { UserError } from '../errors';
import { BudgetExceededError } from '../http/client';
import { RemoteError } from '../remote-error';
import { clockWith } from '../util/clock';
import { pollWithBackoff } from '../util/poll';
import { encodeRepository, type HarborClient } from './client';

export const VULN_REPORT_V11 = 'application/vnd.security.vulnerability.report; version=1.1';
export const VULN_REPORT_V10 = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';
/** Harbor picks the first report type the artifact has; ask for both so Harbor 2.x of any age answers. */
export const ACCEPT_VULNERABILITIES = `${VULN_REPORT_V11}, ${VULN_REPORT_V10}`;

export interface ArtifactRef {
  project: string;
  /** Repository name inside the project; may contain `/`. */
  repository: string;
  /** Tag or digest (`sha256:…`). */
  reference: string;
}

/** NativeReportSummary (swagger), the per-report-type entry of `scan_overview`. */
export interface ScanOverview {
  report_id?: string;
  scan_status?: string;
  severity?: string;
  duration?: number;
  summary?: { total?: number; fixable?: number; summary?: Record<string, number> } | null;
  start_time?: string;
  end_time?: string;
  complete_percent?: number;
}

export interface Artifact {
  digest: string;
  /** Harbor's artifact type: IMAGE, CHART, CNAB, UNKNOWN, … (src/controller/artifact/processor). */
  type?: string;
  tags?: { name: string }[] | null;
  scan_overview?: Record<string, ScanOverview> | null;
}

/** Job states Harbor reports for a scan; anything else is still in progress. */
const FINISHED = new Set(['Success', 'Error', 'Stopped']);

export function artifactLabel(ref: ArtifactRef): string {
  return `${ref.project}/${ref.repository}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`;
}

/** `/projects/{p}/repositories/{r}/artifacts/{ref}` with `/` in the repository double-encoded, as Harbor requires. */
export function artifactPath(ref: ArtifactRef): string {
  // A digest's ':' is legal in a path segment; Harbor's router expects it unescaped.
  const reference = encodeURIComponent(ref.reference).replace(/%3A/gi, ':');
  return `/projects/${encodeURIComponent(ref.project)}/repositories/${encodeRepository(ref.repository)}/artifacts/${reference}`;
}

/** Every artifact of a repository (`project/repo`, the repository may contain `/`), with its tags. */
export async function listArtifacts<T extends { digest: string } = Artifact>(
  harbor: HarborClient,
  repository: string,
): Promise<T[]> {
  const slash = repository.indexOf('/');
  const path = `/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${encodeRepository(repository.slice(slash + 1))}/artifacts`;
  return harbor.list<T>(
    path,
    { with_tag: true, with_label: false, with_scan_overview: false },
    `list artifacts of ${repository}`,
  );
}

export async function getArtifact(harbor: HarborClient, ref: ArtifactRef): Promise<Artifact> {
  try {
    return await harbor.json<Artifact>('GET', artifactPath(ref), {
      query: { with_scan_overview: true },
      headers: { 'x-accept-vulnerabilities': ACCEPT_VULNERABILITIES },
      expected: [200],
      what: `reading artifact ${artifactLabel(ref)}`,
    });
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'not-found') {
      throw error.with({ advice: 'check the project, repository and reference' });
    }
    throw error;
  }
}

/** The vulnerability entry of an artifact's scan overview; undefined when Harbor has none (never scanned, or queued). */
export function vulnerabilityOverview(artifact: Artifact): ScanOverview | undefined {
  const overview = artifact.scan_overview ?? {};
  return (
    overview[VULN_REPORT_V11] ??
    overview[VULN_REPORT_V10] ??
    Object.entries(overview).find(([mime]) => /vuln/i.test(mime))?.[1]
  );
}

/**
 * Finished, and complete: for an image index Harbor merges its children's summaries, and one child's Success with
 * another's Pending reads Success while `complete_percent` stays below 100 (src/pkg/scan/vuln/util.go MergeScanStatus,
 * summary.go Merge) — that report lacks platforms, so it is not the answer yet.
 */
export function isFinished(overview: ScanOverview | undefined): boolean {
  if (overview?.scan_status === undefined || !FINISHED.has(overview.scan_status)) return false;
  return !(
    overview.scan_status === 'Success' &&
    overview.complete_percent !== undefined &&
    overview.complete_percent < 100
  );
}

/**
 * Asks Harbor to scan the artifact (202 Accepted, no body); the scan runs asynchronously. Harbor answers 409 when a
 * scan of the artifact is already queued or running (e.g. scan on push not yet visible in the overview): that scan is
 * the one to wait for. Returns whether a new scan was started.
 */
export async function triggerScan(harbor: HarborClient, ref: ArtifactRef): Promise<boolean> {
  const res = await harbor.call('POST', `${artifactPath(ref)}/scan`, {
    expected: [202, 409],
    what: `starting a scan of ${artifactLabel(ref)}`,
  });
  return res.status === 202;
}

export interface WaitOptions {
  timeoutMs: number;
  /** A finished overview with this identity predates our trigger and is not the answer we wait for. */
  stale?: ScanOverview;
  /** First poll delay; it doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onPoll?: (overview: ScanOverview | undefined, waitedMs: number) => void;
}

/** The scan did not produce a report (Error, Stopped, timed out, never scanned): on-scan-error decides, not the policy. */
export class ScanError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ScanError';
  }
}

/**
 * Polls the artifact until its vulnerability scan has finished, with capped exponential backoff (2 s doubling to
 * 15 s): a 2-minute scan costs about a dozen calls and the answer arrives at most 15 s late. An absent overview is a
 * scan still queued. Returns the finished overview (Success, Error or Stopped); the caller decides what each means.
 */
export async function waitForScan(harbor: HarborClient, ref: ArtifactRef, options: WaitOptions): Promise<ScanOverview> {
  const timedOut = (overview: ScanOverview | undefined): ScanError => {
    const partial =
      overview?.scan_status === 'Success' && overview.complete_percent !== undefined && overview.complete_percent < 100
        ? ` at ${overview.complete_percent}%: platforms of the index are not scanned yet`
        : '';
    const state = overview?.scan_status ? `still ${overview.scan_status}${partial}` : 'still queued';
    return new ScanError(
      `Harbor scan of ${artifactLabel(ref)} did not finish within ${Math.round(options.timeoutMs / 1000)} s (${state}); raise timeout or check Harbor's scanner`,
    );
  };
  let last: ScanOverview | undefined;
  // Give up when the next poll would land past the timeout: the step's own deadline (same input) would cut that
  // request off and hide what the scan's state was.
  return pollWithBackoff(
    {
      timeoutMs: options.timeoutMs,
      initialDelayMs: options.initialDelayMs ?? 2_000,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      clock: clockWith(options),
      // The step's deadline (same input, counted from the step's start, so a little ahead of this loop's clock) cut a
      // poll off: what matters is the scan's state when time ran out, which the previous poll read (if one did).
      cutOff: (error, turn) => error instanceof BudgetExceededError && turn.attempt > 1,
    },
    async (turn) => {
      const overview = vulnerabilityOverview(await getArtifact(harbor, ref));
      last = overview;
      options.onPoll?.(overview, turn.elapsedMs());
      return isFinished(overview) && !sameRun(overview!, options.stale) ? overview : undefined;
    },
    () => {
      throw timedOut(last);
    },
  );
}

function sameRun(a: ScanOverview, b: ScanOverview | undefined): boolean {
  return b !== undefined && a.report_id === b.report_id && a.end_time === b.end_time && a.start_time === b.start_time;
}

/** The full report from `additions/vulnerabilities`, keyed by report MIME type in Harbor's answer. */
export async function getVulnerabilityReport<T>(
  harbor: HarborClient,
  ref: ArtifactRef,
): Promise<{ mimeType: string; report: T }> {
  const body = await harbor.json<Record<string, T> | null>('GET', `${artifactPath(ref)}/additions/vulnerabilities`, {
    headers: { 'x-accept-vulnerabilities': ACCEPT_VULNERABILITIES },
    expected: [200],
    what: `reading the vulnerability report of ${artifactLabel(ref)}`,
  });
  const entries = Object.entries(body ?? {});
  const found =
    entries.find(([mime]) => mime === VULN_REPORT_V11) ??
    entries.find(([mime]) => mime === VULN_REPORT_V10) ??
    entries[0];
  if (!found || !found[1])
    throw new UserError(`Harbor has no vulnerability report for ${artifactLabel(ref)} although its scan finished`);
  return { mimeType: found[0], report: found[1] };
}

/** The scanner's log for a finished report, for explaining an Error; '' when Harbor cannot give it. */
export async function getScanLog(harbor: HarborClient, ref: ArtifactRef, reportId: string): Promise<string> {
  try {
    const res = await harbor.call('GET', `${artifactPath(ref)}/scan/${encodeURIComponent(reportId)}/log`, {
      expected: [200],
      headers: { accept: 'text/plain' },
    });
    return res.text();
  } catch {
    return '';
  }
}
