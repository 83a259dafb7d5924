import { randomUUID } from 'node:crypto';
import { ZERO_TIME } from './harbor-jobservice';
import {
  asHarborStores,
  HarborReport,
  loadTrivy,
  overallSeverity,
  pickMimeType,
  REPORT_MIME_V11,
  summarize,
  trivyToHarborReport,
} from './vulnerability-report';

// Harbor's scan jobs as a clock: Pending (the placeholder report Harbor writes before answering 202:
// src/controller/scan/base_controller.go Scan → MakePlaceHolder), Running, and finally Success or Error. An image index
// is scanned as its children and its overview is their merge (src/pkg/scan/vuln/summary.go Merge, util.go
// MergeScanStatus). Timings and the report each repository gets are set by tests; the report is real Trivy output.

export interface ScanTimings {
  /**
   * Time after POST .../scan during which the artifact has no scan_overview at all. Harbor writes the Pending placeholder
   * before it answers, so 0 is Harbor's behaviour; scan on push, whose job is created later, is what a longer time models.
   */
  queuedMs: number;
  pendingMs: number;
  runningMs: number;
  /** Extra pending time per child of an index (child i waits i × this), so a test can see a partial index. */
  perChildDelayMs?: number;
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

/** Go's zero time.Time (0001-01-01T00:00:00Z), as the API shows a time not set. */
const ZERO_TIME_MS = Date.parse(ZERO_TIME);

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

  /**
   * Starts a job unless one is still queued/pending/running: Harbor does not run a second job for the artifact (the
   * placeholder conflicts). An index starts one job per child and none for itself (collectScanningArtifacts). Returns
   * the state of the unfinished report that conflicted when every target had one — Harbor's Scan then fails with the
   * first conflict (src/controller/scan/base_controller.go Scan: "all report placeholder conflicted"), which
   * MakePlaceHolder raises for a report not in a final state (src/pkg/scan/vulnerability/vul.go). A queued job has no
   * report yet (the scan on push has not written its placeholder), so it conflicts with nothing.
   */
  start(repository: string, digest: string, children: string[] = []): { conflict?: ScanState } {
    const targets = children.length > 0 ? children : [digest];
    const conflicts = targets
      .map((d) => this.jobs.get(`${repository}@${d}`))
      .map((job) => job && this.state(job))
      .filter((state) => state === 'Pending' || state === 'Running');
    if (conflicts.length === targets.length) return { conflict: conflicts[0] };
    targets.forEach((d, i) => {
      const existing = this.jobs.get(`${repository}@${d}`);
      const state = existing && this.state(existing);
      if (!existing || state === 'Success' || state === 'Error') {
        const timings = {
          ...this.timings,
          pendingMs: this.timings.pendingMs + i * (this.timings.perChildDelayMs ?? 0),
        };
        this.jobs.set(`${repository}@${d}`, {
          reportId: randomUUID(),
          requestedAt: Date.now(),
          timings,
          repository,
          digest: d,
        });
      }
    });
    return {};
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
    return (
      this.fixtures.get(`${job.repository}@${job.digest}`) ?? this.fixtures.get(job.repository) ?? this.defaultFixture
    );
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
    // Harbor rewrites item severities before storing (src/pkg/scan/postprocessors/report_converters.go at v2.15.2).
    if (fixture.report) return asHarborStores(fixture.report);
    if (fixture.trivy) return asHarborStores(trivyToHarborReport(loadTrivy(fixture.trivy), job.digest));
    return { generated_at: new Date().toISOString(), scanner: SCANNER, severity: 'None', vulnerabilities: [] };
  }

  private mime(job: ScanJob, accept: string | undefined): string | undefined {
    return pickMimeType(accept, [this.fixture(job).mimeType ?? REPORT_MIME_V11]);
  }

  /**
   * ScanOverview keyed by the first accepted MIME type with a report; absent while the job is only queued. The swagger
   * model's omitempty leaves out a zero complete_percent, duration and severity and an absent summary, but never the
   * times (strfmt.DateTime is a struct): a time not set yet is Go's zero time. A report's times are its task's, set
   * when the job runs and when it ends (src/pkg/scan/vulnerability/vul.go assembleReports, src/pkg/scan/report/
   * summary.go GenerateNativeSummary). For an index (`children` given) the children's summaries are merged as Harbor
   * merges them: the earliest start, the latest end, the duration between them (src/pkg/scan/vuln/summary.go Merge).
   */
  overview(
    repository: string,
    digest: string,
    accept: string | undefined,
    children: string[] = [],
  ): Record<string, unknown> | undefined {
    const parts = (children.length > 0 ? children : [digest]).map((d) => this.jobs.get(`${repository}@${d}`));
    const started = parts.filter((j): j is ScanJob => j !== undefined && this.state(j) !== 'Queued');
    if (started.length === 0) return undefined;
    const mime = this.mime(started[0], accept);
    if (!mime) return undefined;
    const summaries = started.map((job) => this.summary(job));
    // Children not scanned yet count in the total but not as complete (TotalCount/CompleteCount in report/summary.go).
    const total = parts.length;
    const complete = summaries.filter((x) => x.status === 'Success').length;
    const status = summaries.map((x) => x.status).reduce(mergeScanStatus);
    const start = Math.min(...summaries.map((x) => x.start));
    const end = Math.max(...summaries.map((x) => x.end));
    const out: Record<string, unknown> = {
      report_id: started.map((j) => j.reportId).join('|'),
      scan_status: status,
      start_time: new Date(start).toISOString(),
      end_time: new Date(end).toISOString(),
      scanner: SCANNER,
    };
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const duration =
      summaries.length === 1 ? Math.max(seconds(end) - seconds(start), 0) : seconds(end) - seconds(start);
    if (duration !== 0) out.duration = duration;
    const percent = Math.floor((complete * 100) / total);
    if (percent > 0) out.complete_percent = percent;
    if (status === 'Success') {
      const vulnerabilities = started
        .filter((j) => this.state(j) === 'Success')
        .flatMap((j) => this.report(j).vulnerabilities);
      out.severity = overallSeverity(vulnerabilities);
      out.summary = summarize({ vulnerabilities } as HarborReport);
    }
    return { [mime]: out };
  }

  /** A job's status and times: the start once it runs, the end once it is final, Go's zero time before that. */
  private summary(job: ScanJob): { status: ScanState; start: number; end: number } {
    const state = this.state(job);
    const { queuedMs, pendingMs, runningMs } = job.timings;
    const running = job.requestedAt + queuedMs + pendingMs;
    const finished = state === 'Success' || state === 'Error';
    return {
      status: state,
      start: state === 'Pending' ? ZERO_TIME_MS : running,
      end: finished ? running + runningMs : ZERO_TIME_MS,
    };
  }

  /** additions/vulnerabilities body: `{ <mime>: report }` once the scan succeeded, `{}` before. */
  additions(
    repository: string,
    digest: string,
    accept: string | undefined,
    children: string[] = [],
  ): Record<string, HarborReport> {
    // GetReport answers nothing while any part has no report, and the children's reports merged otherwise
    // (src/controller/scan/base_controller.go GetReport; handler/artifact.go GetVulnerabilitiesAddition).
    const jobs = (children.length > 0 ? children : [digest]).map((d) => this.jobs.get(`${repository}@${d}`));
    if (jobs.some((j) => !j || this.state(j) !== 'Success')) return {};
    const mime = this.mime(jobs[0]!, accept);
    if (!mime) return {};
    const reports = jobs.map((j) => this.report(j!));
    if (reports.length === 1) return { [mime]: reports[0] };
    const vulnerabilities = reports.flatMap((r) => r.vulnerabilities);
    return { [mime]: { ...reports[0], severity: overallSeverity(vulnerabilities), vulnerabilities } };
  }

  /** The scanner job's log by report id (Harbor keeps it for failed scans too); undefined when unknown. */
  log(repository: string, digest: string, reportId: string): string | undefined {
    const job = this.jobs.get(`${repository}@${digest}`);
    if (!job || job.reportId !== reportId) return undefined;
    const state = this.state(job);
    const at = (ms: number) => new Date(job.requestedAt + ms).toISOString();
    const { queuedMs, pendingMs, runningMs } = job.timings;
    const lines = [`${at(0)} [INFO] scan job queued for ${repository}@${digest}`];
    if (state === 'Running' || state === 'Success' || state === 'Error')
      lines.push(`${at(queuedMs + pendingMs)} [INFO] scanning with Trivy`);
    if (state === 'Success') lines.push(`${at(queuedMs + pendingMs + runningMs)} [INFO] report stored`);
    if (state === 'Error')
      lines.push(`${at(queuedMs + pendingMs + runningMs)} [ERROR] scanner adapter failed: fixture outcome Error`);
    return lines.join('\n') + '\n';
  }
}

/** MergeScanStatus (src/pkg/scan/vuln/util.go): Running wins, then Stopped, then Success; otherwise the later state. */
function mergeScanStatus(a: ScanState, b: ScanState): ScanState {
  if (a === 'Running' || b === 'Running') return 'Running';
  if (a === 'Success' || b === 'Success') return 'Success';
  const order: ScanState[] = ['Queued', 'Pending', 'Running', 'Error', 'Success'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
