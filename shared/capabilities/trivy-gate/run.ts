import { defineRunner, workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import {
  artifactLabel,
  getArtifact,
  getScanLog,
  getVulnerabilityReport,
  isFinished,
  ScanError,
  triggerScan,
  vulnerabilityOverview,
  waitForScan,
  type ArtifactRef,
  type ScanOverview,
} from '../../harbor/artifacts';
import type { HarborClient } from '../../harbor/client';
import { openHarbor } from '../../harbor/inputs';
import { RemoteError } from '../../remote-error';
import type { SettingsOf } from '../../inputs/definition';
import type { Platform, StepResult } from '../../platform';
import { renderFindingsJson } from '../../report/findings-json';
import { fromHarborReport, type HarborVulnerabilityReport } from '../../report/harbor-report';
import { IgnoreList, readIgnoreFile } from '../../report/ignore-file';
import { renderJUnit, renderScanErrorJUnit } from '../../report/junit';
import { renderSummary } from '../../report/markdown';
import type { ScanReport } from '../../report/model';
import { evaluate, namedCounts, resultOf, type Budgeted, type Policy, type Verdict } from '../../report/policy';
import { renderSarif, SARIF_MAX_RESULTS } from '../../report/sarif';
import { ReportShapeError } from '../../report/shape';
import { readTrivyReport } from '../../report/trivy-json';
import { checkWritable, writeChunks } from '../../report/write-chunks';
import { chooseSource, definition, settingOf } from './definition';
import type { ContextOf } from '../../step-context';

type Settings = SettingsOf<typeof definition.inputs>;
type InputKey = keyof typeof definition.inputs;
type Context = ContextOf<typeof definition>;

/** Test seam: a faster poll cadence (time itself comes from the context's clock). Production uses the defaults. */
export interface GateHooks {
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

export function createGate(hooks: GateHooks = {}) {
  return defineRunner(definition, async (settings, ctx) => runGate(settings, ctx, hooks));
}

async function runGate(settings: Settings, ctx: Context, hooks: GateHooks): Promise<StepResult> {
  const { platform } = ctx;
  const name = ctx.label;
  const path = (file: string) => workspacePath(platform, file);
  // The clock decides which ignores have expired.
  const now = new Date(ctx.clock.now());
  const source = chooseSource(settings, name);

  // Everything local is read and checked before Harbor is asked to scan anything, and every output path before any
  // is written: a step that fails on its third file must not leave the first two behind.
  checkOutputFiles(settings, name, path);
  const ignores = settings.ignoreFile
    ? readIgnoreFile(path(settings.ignoreFile), name('ignore-file'), now)
    : IgnoreList.empty();
  for (const entry of ignores.expired) {
    platform.warning(
      `${name('ignore-file')} line ${entry.line}: the ignore of ${entry.id} expired on ${entry.expires}; it is counted again`,
    );
  }
  const policy: Policy = {
    failOn: settings.failOn,
    ignoreUnfixed: settings.ignoreUnfixed,
    max: { CRITICAL: settings.maxCritical, HIGH: settings.maxHigh, MEDIUM: settings.maxMedium, LOW: settings.maxLow },
  };

  let report: ScanReport;
  if (source === 'file') {
    report = readTrivyReport(path(settings.reportFile!), name('report-file'));
  } else {
    try {
      report = await readFromHarbor(settings, ctx, hooks);
    } catch (error) {
      if (!(error instanceof ScanError) || settings.onScanError === 'fail') throw error;
      platform.warning(`${error.message} (${name('on-scan-error')}: warn, so the step continues without a verdict)`);
      ctx.setOutput('result', 'error');
      // JUnit shows the error in the test run. No SARIF is written: an empty upload would close the open code
      // scanning alerts of a scan that simply did not run.
      if (settings.junitFile)
        writeChunks(
          path(settings.junitFile),
          [renderScanErrorJUnit(`${settings.project}/${settings.repository}@${settings.reference}`, error.message)],
          name('junit-file'),
        );
      if (settings.sarifFile) platform.warning(`${name('sarif-file')} was not written: there is no verdict to report`);
      await platform.addSummary(`## ⚠️ Vulnerability gate: no verdict\n\n${error.message}\n`);
      return 'succeeded-with-issues';
    }
  }
  platform.info(`${report.findings.length} unique findings in ${report.artifact} (${report.scanner})`);

  const verdict = evaluate(report, policy, ignores, {
    failOn: name('fail-on'),
    max: (severity: Budgeted) => name(`max-${severity.toLowerCase()}` as InputKey),
  });
  for (const entry of verdict.unusedIgnores) {
    platform.debug(`${name('ignore-file')} line ${entry.line}: ${entry.id} matched no finding`);
  }
  writeReports(settings, report, policy, verdict, name, path, platform);
  setOutputs(ctx, verdict);
  await platform.addSummary(
    renderSummary(report, verdict, { ignoreFileName: name('ignore-file'), ignoreUnfixedName: name('ignore-unfixed') }),
  );

  if (!verdict.passed) throw new UserError(verdict.reason);
  platform.info(verdict.reason);
  return 'succeeded';
}

function checkOutputFiles(settings: Settings, name: (key: InputKey) => string, path: (file: string) => string): void {
  const files = (['sarif-file', 'junit-file', 'json-file'] as const).filter(
    (key) => settingOf(settings, key) !== undefined,
  );
  const seen = new Map<string, InputKey>();
  for (const key of files) {
    const file = path(settingOf(settings, key) as string);
    const other = seen.get(file);
    if (other)
      throw new InputError(
        `${name(other)} and ${name(key)} name the same file (${file}); give each report its own file`,
      );
    seen.set(file, key);
    checkWritable(file, name(key));
  }
}

async function readFromHarbor(settings: Settings, ctx: Context, hooks: GateHooks): Promise<ScanReport> {
  const { platform } = ctx;
  const ref: ArtifactRef = {
    project: settings.project!,
    repository: settings.repository!,
    reference: settings.reference!,
  };
  // `timeout` bounds all of the Harbor work (reads, scan wait, report), not only the scan wait.
  const { harbor, http } = openHarbor(platform, definition.inputs, settings, {
    budget: { ms: settings.timeout, input: platform.inputName(definition.inputs.timeout) },
  });
  try {
    return await platform
      .group(`Harbor scan of ${artifactLabel(ref)}`, () => readReport(harbor, ref, settings, ctx, hooks))
      .catch((error: unknown) => {
        // Reading needs artifact:read, artifact-addition:read and scan:read (handler/artifact.go GetArtifact,
        // GetVulnerabilitiesAddition; handler/scan.go GetReportLog). A robot has exactly the permissions it was given
        // (src/common/security/robot/context.go).
        if (error instanceof RemoteError && error.kind === 'permission' && error.advice === undefined) {
          throw error.with({
            advice: `the gate needs artifact:read, artifact-addition:read and scan:read on project ${ref.project} (robot accounts: Artifact → Read, Artifact Addition → Read, Scan → Read; users: any project role)`,
          });
        }
        throw error;
      });
  } finally {
    await http.close();
  }
}

async function readReport(
  harbor: HarborClient,
  ref: ArtifactRef,
  settings: Settings,
  ctx: Context,
  hooks: GateHooks,
): Promise<ScanReport> {
  const { platform } = ctx;
  const artifact = await getArtifact(harbor, ref);
  // Harbor offers only IMAGE artifacts to a scanner (src/controller/scan/checker.go hasCapability): a chart or any
  // other type has no report and never gets one — asking for a scan is 400 — so say that, not "scan it first".
  if (artifact.type !== undefined && artifact.type !== 'IMAGE') {
    throw new ScanError(
      `${artifactLabel(ref)} is a ${artifact.type} artifact, and Harbor scans container images only (Harbor artifact type IMAGE); gate the images instead`,
    );
  }
  // Gate the digest the tag pointed to when we looked, so a tag moved during the scan cannot swap the image.
  const pinned: ArtifactRef = { ...ref, reference: artifact.digest || ref.reference };
  let overview = vulnerabilityOverview(artifact);
  platform.info(`${artifactLabel(ref)} is ${artifact.digest}; last scan: ${describe(overview)}`);

  const inProgress = overview !== undefined && !isFinished(overview);
  let stale: ScanOverview | undefined;
  // A scan already running is as fresh as one we would start; Harbor would refuse a second one anyway.
  if (
    !inProgress &&
    (settings.scan === 'always' || (settings.scan === 'if-missing' && overview?.scan_status !== 'Success'))
  ) {
    stale = isFinished(overview) ? overview : undefined;
    platform.info(`Asking Harbor to scan ${artifactLabel(pinned)} (scan: ${settings.scan})`);
    const started = await triggerScan(harbor, pinned).catch((error: unknown) => {
      // ScanArtifact requires scan:create (src/server/v2.0/handler/scan.go), which only Maintainer and ProjectAdmin
      // hold; Developer and Guest have scan:read (src/common/rbac/project/rbac_role.go).
      if (error instanceof RemoteError && error.kind === 'permission') {
        throw error.with({
          advice: `starting a scan needs the scan:create permission (project role Maintainer or Project Admin; robot accounts: Scan → Create); set ${platform.inputName(definition.inputs.scan)} to never to gate on the report Harbor already has`,
        });
      }
      throw error;
    });
    if (!started) platform.info('Harbor is already scanning it; waiting for that scan');
  } else if (settings.scan === 'never' && overview === undefined) {
    throw new ScanError(
      `${artifactLabel(ref)} has no scan report in Harbor and scan is never; scan it first or use scan: if-missing`,
    );
  }

  if (stale !== undefined || !isFinished(overview)) {
    overview = await waitForScan(harbor, pinned, {
      timeoutMs: settings.timeout,
      stale,
      initialDelayMs: hooks.pollInitialDelayMs,
      maxDelayMs: hooks.pollMaxDelayMs,
      now: ctx.clock.now,
      sleep: ctx.clock.sleep,
      onPoll: (o, waited) => platform.info(`Scan ${describe(o)} after ${Math.round(waited / 1000)} s`),
    });
  }
  if (overview!.scan_status !== 'Success') {
    const log = overview!.report_id ? await getScanLog(harbor, pinned, overview!.report_id) : '';
    if (log) {
      platform.info('Scanner log (last lines):');
      platform.info(log.trimEnd().split(/\r?\n/).slice(-10).join('\n'), { foreign: true });
    }
    throw new ScanError(
      `Harbor scan of ${artifactLabel(pinned)} ended in ${overview!.scan_status}; see the scanner log in Harbor (Interrogation Services)`,
    );
  }
  const { mimeType, report } = await getVulnerabilityReport<HarborVulnerabilityReport>(harbor, pinned);
  platform.debug(`Report type: ${mimeType}`);
  try {
    return fromHarborReport(report, `${ref.project}/${ref.repository}@${artifact.digest}`);
  } catch (error) {
    if (!(error instanceof ReportShapeError)) throw error;
    throw new UserError(
      `Harbor's vulnerability report (${mimeType}) for ${artifactLabel(pinned)} is not one the gate can read: ${error.message}`,
    );
  }
}

function describe(overview: ScanOverview | undefined): string {
  if (!overview) return 'none (queued or never scanned)';
  // complete_percent below 100 on a Success is a partial image index (src/pkg/scan/vuln/summary.go Merge).
  const percent =
    overview.complete_percent !== undefined && overview.complete_percent < 100 ? ` ${overview.complete_percent}%` : '';
  return `${overview.scan_status ?? 'unknown'}${percent}`;
}

function setOutputs(ctx: Context, verdict: Verdict): void {
  const values = { ...namedCounts(verdict.counts), result: resultOf(verdict) };
  for (const [key, value] of Object.entries(values)) ctx.setOutput(key as keyof typeof values, value);
}

function writeReports(
  settings: Settings,
  report: ScanReport,
  policy: Policy,
  verdict: Verdict,
  name: (key: InputKey) => string,
  path: (file: string) => string,
  platform: Platform,
): void {
  if (settings.sarifFile) {
    writeChunks(path(settings.sarifFile), renderSarif(report, verdict.counted, SARIF_INFO), name('sarif-file'));
    if (verdict.counted.length > SARIF_MAX_RESULTS)
      platform.warning(
        `${name('sarif-file')} holds the ${SARIF_MAX_RESULTS} most severe of ${verdict.counted.length} findings (GitHub code scanning's per-run limit)`,
      );
  }
  if (settings.junitFile) writeChunks(path(settings.junitFile), renderJUnit(report, verdict), name('junit-file'));
  if (settings.jsonFile)
    writeChunks(path(settings.jsonFile), renderFindingsJson(report, policy, verdict), name('json-file'));
}

const SARIF_INFO = {
  toolVersion: `${definition.version.major}.${definition.version.minor}.${definition.version.patch}`,
  informationUri: 'https://github.com/harbor-pipelines/harbor-pipelines/blob/main/docs/trivy-gate.md',
};
