import { InputError } from '../../errors';
import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { camelCase, defineCapability, type SettingsOf } from '../../inputs/definition';
import { isDigest, isTag } from '../../oci/reference';
import { FAIL_ON } from '../../report/policy';

const harbor = harborInputs({
  groups: { main: 'source', tls: 'advanced' },
  account:
    'Harbor user or robot account: it reads the artifact, its additions and scans (artifact:read, artifact-addition:read, scan:read); starting a scan also needs scan:create (Maintainer role).',
});

const inputsAndOutputs = defineCapability({
  id: 'trivy-gate',
  taskName: 'HarborTrivyGate',
  friendlyName: 'Harbor Trivy gate',
  shortDescription:
    "Fail a pipeline on Harbor's Trivy scan of an image or a Trivy report, with budgets, ignores, SARIF and JUnit output.",
  description:
    "Gate on Harbor's Trivy scan of an image (scanning it if needed) or on a Trivy JSON report: exact unique counts, a threshold separate from what is shown, per-severity budgets, expiring ignores, summary, SARIF and JUnit.",
  category: 'Test',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: 'fed31d80-1cf7-4375-bff4-a88d2de374e8',
  branding: { icon: 'shield', color: 'blue' },
  connections: [
    harborServiceConnection(
      'The Harbor to read the scan from. Leave empty to gate on a Trivy JSON report file instead.',
      {
        required: false,
        group: 'source',
      },
    ),
  ],
  groups: [
    ['source', 'Source'],
    ['policy', 'Policy'],
    ['reports', 'Reports'],
    ['advanced', 'Advanced'],
  ],
  inputs: {
    ...harbor,
    project: { name: 'project', type: 'string', description: 'Harbor project of the image.', group: 'source' },
    repository: {
      name: 'repository',
      type: 'string',
      description: 'Repository inside the project, without the project (may contain `/`, e.g. `team/api`).',
      group: 'source',
    },
    reference: {
      name: 'reference',
      type: 'string',
      description: 'Tag or digest (`sha256:…`) of the image to gate. A digest gates exactly what you built.',
      group: 'source',
    },
    scan: {
      name: 'scan',
      type: 'choice',
      options: ['if-missing', 'always', 'never'],
      default: 'if-missing',
      description:
        'When to ask Harbor to scan: `if-missing` when there is no finished report (or the last scan failed), `always` for a fresh scan, `never` to use what is there.',
      group: 'source',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '10m',
      description:
        'How long the step may spend on Harbor: every request, retry and the wait for the scan (e.g. 90s, 10m).',
      group: 'source',
    },
    'report-file': {
      name: 'report-file',
      type: 'path',
      description: 'Gate on this Trivy JSON report (`trivy image -f json -o report.json …`) instead of Harbor.',
      group: 'source',
    },
    'fail-on': {
      name: 'fail-on',
      type: 'choice',
      options: FAIL_ON,
      default: 'high',
      description:
        'The lowest severity that fails the step: any counted finding at or above it fails, unless a max-* input allows that many. `none` gates on the max-* inputs only.',
      group: 'policy',
    },
    'max-critical': {
      name: 'max-critical',
      type: 'integer',
      min: 0,
      description: 'Fail when more than this many critical findings are counted (overrides fail-on for critical).',
      group: 'policy',
    },
    'max-high': {
      name: 'max-high',
      type: 'integer',
      min: 0,
      description: 'Fail when more than this many high findings are counted (overrides fail-on for high).',
      group: 'policy',
    },
    'max-medium': {
      name: 'max-medium',
      type: 'integer',
      min: 0,
      description: 'Fail when more than this many medium findings are counted (overrides fail-on for medium).',
      group: 'policy',
    },
    'max-low': {
      name: 'max-low',
      type: 'integer',
      min: 0,
      description: 'Fail when more than this many low findings are counted (overrides fail-on for low).',
      group: 'policy',
    },
    'ignore-unfixed': {
      name: 'ignore-unfixed',
      type: 'boolean',
      default: 'false',
      description: 'Do not count findings that have no fixed version yet.',
      group: 'policy',
    },
    'ignore-file': {
      name: 'ignore-file',
      type: 'path',
      description:
        'A `.trivyignore` file (one vulnerability id per line, `#` comments, optional `exp:YYYY-MM-DD` after the id) or a `.trivyignore.yaml`; an expired entry counts again and warns.',
      group: 'policy',
    },
    'on-scan-error': {
      name: 'on-scan-error',
      type: 'choice',
      options: ['fail', 'warn'],
      default: 'fail',
      description:
        'When Harbor’s scan ends in Error or Stopped, times out, or the image was never scanned with scan: never: `fail` the step, or `warn` and continue (Azure DevOps: succeeded with issues).',
      group: 'policy',
    },
    'sarif-file': {
      name: 'sarif-file',
      type: 'path',
      description: 'Write SARIF 2.1.0 here (for GitHub code scanning upload).',
      group: 'reports',
    },
    'junit-file': {
      name: 'junit-file',
      type: 'path',
      description: 'Write JUnit XML here (for Azure DevOps Publish Test Results).',
      group: 'reports',
    },
    'json-file': {
      name: 'json-file',
      type: 'path',
      description: 'Write the normalized findings, counts and verdict as JSON here.',
      group: 'reports',
    },
  },
  outputs: [
    { name: 'critical', description: 'Counted critical findings (unique, after ignores).' },
    { name: 'high', description: 'Counted high findings.' },
    { name: 'medium', description: 'Counted medium findings.' },
    { name: 'low', description: 'Counted low findings.' },
    { name: 'unknown', description: 'Counted findings of unknown severity.' },
    { name: 'total', description: 'All counted findings.' },
    { name: 'fixable', description: 'Counted findings that have a fixed version.' },
    { name: 'ignored', description: 'Unique findings not counted because of ignore-file or ignore-unfixed.' },
    {
      name: 'result',
      description:
        '`passed` or `failed` by the policy; `error` when the scan did not complete and on-scan-error is warn.',
    },
  ],
});

type Settings = SettingsOf<typeof inputsAndOutputs.inputs>;
type InputKey = keyof typeof inputsAndOutputs.inputs;

const HARBOR_INPUTS: InputKey[] = ['harbor-url', 'project', 'repository', 'reference'];

export function settingOf(settings: Settings, key: InputKey): unknown {
  return (settings as Record<string, unknown>)[camelCase(key)];
}

/** Exactly one source: a report file, or the Harbor artifact (all four of its inputs). */
export function chooseSource(settings: Settings, name: (key: InputKey) => string): 'file' | 'harbor' {
  const harborSet = HARBOR_INPUTS.filter((key) => settingOf(settings, key) !== undefined);
  if (settings.reportFile !== undefined) {
    if (harborSet.length > 0) {
      throw new InputError(
        `Set either ${name('report-file')} or the Harbor artifact (${HARBOR_INPUTS.map(name).join(', ')}), not both; ${harborSet.map(name).join(', ')} also set`,
      );
    }
    return 'file';
  }
  const missing = HARBOR_INPUTS.filter((key) => settingOf(settings, key) === undefined);
  if (missing.length === HARBOR_INPUTS.length) {
    throw new InputError(
      `Nothing to gate: set ${name('report-file')} to a Trivy JSON report, or ${HARBOR_INPUTS.map(name).join(', ')} for an image in Harbor`,
    );
  }
  if (missing.length > 0)
    throw new InputError(
      `Input required and not supplied: ${missing.map(name).join(', ')} (to gate an image in Harbor)`,
    );
  const reference = settings.reference!;
  if (!isTag(reference) && !isDigest(reference)) {
    throw new InputError(
      `Input '${name('reference')}' must be a tag or a digest like sha256:<hex> (got '${reference}')`,
    );
  }
  if (settings.repository!.startsWith('/') || settings.repository!.endsWith('/')) {
    throw new InputError(
      `Input '${name('repository')}' must be a repository name like app or team/app (got '${settings.repository}')`,
    );
  }
  return 'harbor';
}

/** The source rules are checked with the inputs, so "Nothing to gate" comes before the gate's run module loads. */
export const definition: typeof inputsAndOutputs = {
  ...inputsAndOutputs,
  check: (settings, name) => void chooseSource(settings, name),
};
