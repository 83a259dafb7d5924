import { randomUUID } from 'node:crypto';
import { HarborReport, loadTrivy, pickMimeType, REPORT_MIME_V11, summarize, trivyToHarborReport } from './vulnerability-report';

// Harbor's scan jobs as a clock: a job is queued (no scan_overview yet), then Pending, Running, and finally Success or
// Error. Timings and the report each repository gets are set by tests; the report is real Trivy output.

export interface ScanTimings {
  /** Time after POST .../scan during which the artifact has no scan_overview at all (job not created yet). */
  queuedMs: number;
  pendingMs: number;
  runningMs: number;
}

export interface ScanFixture {
  /** A Trivy JSON golden (file name of a pinned golden under trivy/ in test/reference/manifest.json, a path, or parsed JSON)... */
  trivy?: string | object;
  /** ...or a ready Harbor report. Neither: a report without vulnerabilities. */
  report?: HarborReport;
  /** 'Error' makes the scan end in Error, as a failing scanner does. */
  outcome?: 'Success' | 'Error';
  /** MIME type the report is stored under; default the v1.1 report type Harbor's Trivy adapter produces. */
  mimeType?: string;
}

type ScanState = 'Queued' | 'Pending' | 'Running' | 'Success' | 'Error';

interface ScanJob {
  reportId: string;
  requestedAt: number;
  timings: ScanTimings;
  repository: string;
  digest: string;
}

const SCANNER = { name: 'Trivy', vendor: 'Aqua Security', version: 'dev' };

export class ScanJobs {
  private readonly jobs = new Map<string, ScanJob>();
  private readonly fixtures = new Map<string, ScanFixture>();
  private defaultFixture: ScanFixture = {};

  constructor(private timings: ScanTimings) {}

  setFixture(repository: string, fixture: ScanFixture): void {
    this.fixtures.set(repository, fixture);
  }

  setDefaultFixture(fixture: ScanFixture): void {
    this.defaultFixture = fixture;
  }

  setTimings(t: Partial<ScanTimings>): void {
    this.timings = { ...this.timings, ...t };
  }

  /** Starts a job unless one is still queued/pending/running: Harbor does not run a second job for the artifact. */
  start(repository: string, digest: string): void {
    const existing = this.jobs.get(`${repository}@${digest}`);
    const state = existing && this.state(existing);
    if (!existing || state === 'Success' || state === 'Error') {
      this.jobs.set(`${repository}@${digest}`, { reportId: randomUUID(), requestedAt: Date.now(), timings: { ...this.timings }, repository, digest });
    }
  }

  /** Cancels a job that has not finished; false when there is none to cancel. */
  cancel(repository: string, digest: string): boolean {
    const job = this.jobs.get(`${repository}@${digest}`);
    const state = job && this.state(job);
    if (!job || state === 'Success' || state === 'Error') return false;
    this.jobs.delete(`${repository}@${digest}`);
    return true;
  }

  /** Looked up when read, so a test may set the fixture before or after asking for the scan. */
  private fixture(job: ScanJob): ScanFixture {
    return this.fixtures.get(job.repository) ?? this.defaultFixture;
  }

  private state(job: ScanJob): ScanState {
    const t = Date.now() - job.requestedAt;
    const { queuedMs, pendingMs, runningMs } = job.timings;
    if (t < queuedMs) return 'Queued';
    if (t < queuedMs + pendingMs) return 'Pending';
    if (t < queuedMs + pendingMs + runningMs) return 'Running';
    return this.fixture(job).outcome ?? 'Success';
  }

  private report(job: ScanJob): HarborReport {
    const fixture = this.fixture(job);
    if (fixture.report) return fixture.report;
    if (fixture.trivy) return trivyToHarborReport(loadTrivy(fixture.trivy), job.digest);
    return { generated_at: new Date().toISOString(), scanner: SCANNER, severity: 'None', vulnerabilities: [] };
  }

  private mime(job: ScanJob, accept: string | undefined): string | undefined {
    return pickMimeType(accept, [this.fixture(job).mimeType ?? REPORT_MIME_V11]);
  }

  /** ScanOverview keyed by the first accepted MIME type with a report; absent while the job is only queued. */
  overview(repository: string, digest: string, accept: string | undefined): Record<string, unknown> | undefined {
    const job = this.jobs.get(`${repository}@${digest}`);
    if (!job) return undefined;
    const state = this.state(job);
    const mime = this.mime(job, accept);
    if (state === 'Queued' || !mime) return undefined;
    const { queuedMs, pendingMs, runningMs } = job.timings;
    const summary: Record<string, unknown> = {
      report_id: job.reportId,
      scan_status: state,
      start_time: new Date(job.requestedAt + queuedMs).toISOString(),
      scanner: SCANNER,
    };
    if (state === 'Pending' || state === 'Running') {
      summary.complete_percent = state === 'Running' ? 50 : 0;
      summary.duration = 0;
    } else {
      summary.end_time = new Date(job.requestedAt + queuedMs + pendingMs + runningMs).toISOString();
      summary.duration = Math.round((pendingMs + runningMs) / 1000);
      summary.complete_percent = 100;
      if (state === 'Success') {
        const report = this.report(job);
        summary.severity = report.severity;
        summary.summary = summarize(report);
      }
    }
    return { [mime]: summary };
  }

  /** additions/vulnerabilities body: `{ <mime>: report }` once the scan succeeded, `{}` before. */
  additions(repository: string, digest: string, accept: string | undefined): Record<string, HarborReport> {
    const job = this.jobs.get(`${repository}@${digest}`);
    if (!job || this.state(job) !== 'Success') return {};
    const mime = this.mime(job, accept);
    return mime ? { [mime]: this.report(job) } : {};
  }

  /** The scanner job's log by report id (Harbor keeps it for failed scans too); undefined when unknown. */
  log(repository: string, digest: string, reportId: string): string | undefined {
    const job = this.jobs.get(`${repository}@${digest}`);
    if (!job || job.reportId !== reportId) return undefined;
    const state = this.state(job);
    const at = (ms: number) => new Date(job.requestedAt + ms).toISOString();
    const { queuedMs, pendingMs, runningMs } = job.timings;
    const lines = [`${at(0)} [INFO] scan job queued for ${repository}@${digest}`];
    if (state === 'Running' || state === 'Success' || state === 'Error') lines.push(`${at(queuedMs + pendingMs)} [INFO] scanning with Trivy`);
    if (state === 'Success') lines.push(`${at(queuedMs + pendingMs + runningMs)} [INFO] report stored`);
    if (state === 'Error') lines.push(`${at(queuedMs + pendingMs + runningMs)} [ERROR] scanner adapter failed: fixture outcome Error`);
    return lines.join('\n') + '\n';
  }
}
