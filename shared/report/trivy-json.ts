import { readFileSync } from 'node:fs';
import { UserError } from '../errors';
import { JsonSlices, JsonSyntaxError } from './json-slices';
import { FindingSet, type Finding, type ScanReport } from './model';
import { trivySeverity } from './severity';

/** The fields of a Trivy vulnerability the gate reads (SchemaVersion 2). */
interface TrivyVulnerability {
  VulnerabilityID?: string;
  PkgName?: string;
  InstalledVersion?: string;
  FixedVersion?: string;
  Severity?: string;
  Title?: string;
  PrimaryURL?: string;
  References?: string[];
}

/**
 * Reads a Trivy JSON report (`trivy image|fs|repo -f json`, SchemaVersion 2) into unique findings. Only
 * `Results[].Vulnerabilities` are gated; misconfigurations, secrets and licenses in the same report are skipped.
 * `label` names the file in errors.
 */
export function readTrivyReport(file: string, label: string): ScanReport {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read ${label} ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  try {
    return parseTrivyReport(buf, file);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new UserError(`${label} ${file} is not valid JSON: ${error.message}`);
    if (error instanceof NotTrivyError) throw new UserError(`${label} ${file} ${error.message}`);
    throw error;
  }
}

class NotTrivyError extends Error {}

const BATCH_BYTES = 256 * 1024;

export function parseTrivyReport(buf: Buffer, fallbackName = 'report'): ScanReport {
  const json = new JsonSlices(buf);
  const start = json.ws(0);
  if (json.peek(start) !== '{') {
    throw new NotTrivyError('is not a Trivy JSON report (expected an object with SchemaVersion 2; write it with trivy --format json)');
  }
  const set = new FindingSet();
  let schemaVersion: unknown;
  let artifact = '';
  let version = '';
  const end = json.members(start, (key, pos) => {
    switch (key) {
      case 'SchemaVersion':
      case 'ArtifactName': {
        const { value, end } = json.value(pos);
        if (key === 'SchemaVersion') schemaVersion = value;
        else if (typeof value === 'string') artifact = value;
        return end;
      }
      case 'Trivy': {
        const { value, end } = json.value<{ Version?: string } | null>(pos);
        version = value?.Version ?? '';
        return end;
      }
      case 'Results':
        if (json.peek(pos) !== '[') return json.skip(pos);
        return json.elements(pos, (resultPos) => readResult(json, resultPos, set));
      default:
        return json.skip(pos);
    }
  });
  if (json.ws(end) !== buf.length) throw new JsonSyntaxError('unexpected data after the report', json.ws(end));
  if (schemaVersion !== 2) {
    throw new NotTrivyError(
      schemaVersion === undefined
        ? 'is not a Trivy JSON report (no SchemaVersion; write it with trivy --format json)'
        : `has SchemaVersion ${JSON.stringify(schemaVersion)}; only SchemaVersion 2 (Trivy 0.20 and later) is supported`,
    );
  }
  return { artifact: artifact || fallbackName, scanner: `Trivy ${version || 'unknown version'}`, findings: set.list() };
}

function readResult(json: JsonSlices, pos: number, set: FindingSet): number {
  if (json.peek(pos) !== '{') return json.skip(pos);
  let target = '';
  const found: Finding[] = [];
  const end = json.members(pos, (key, valuePos) => {
    if (key === 'Target') {
      const { value, end } = json.value(valuePos);
      if (typeof value === 'string') target = value;
      return end;
    }
    if (key === 'Vulnerabilities' && json.peek(valuePos) === '[') {
      // Elements are parsed in runs of about BATCH_BYTES: fast, and only one run is ever held fully parsed.
      let runStart = -1;
      let runEnd = -1;
      const flush = () => {
        for (const v of json.parseElements<TrivyVulnerability | null>(runStart, runEnd)) if (v && typeof v === 'object') found.push(toFinding(v));
        runStart = -1;
      };
      const end = json.elements(valuePos, (vulnPos) => {
        if (runStart < 0) runStart = vulnPos;
        runEnd = json.skip(vulnPos);
        if (runEnd - runStart >= BATCH_BYTES) flush();
        return runEnd;
      });
      if (runStart >= 0) flush();
      return end;
    }
    return json.skip(valuePos);
  });
  // Target may follow Vulnerabilities in a hand-edited file, so findings are added once the whole result is read.
  for (const f of found) {
    f.targets.push(target);
    set.add(f);
  }
  return end;
}

/** Only what the gate uses is kept, so the parsed vulnerability (CVSS, references, description) can be collected. */
function toFinding(v: TrivyVulnerability): Finding {
  return {
    id: str(v.VulnerabilityID),
    pkg: str(v.PkgName),
    installed: str(v.InstalledVersion),
    fixed: str(v.FixedVersion),
    severity: trivySeverity(v.Severity),
    title: str(v.Title),
    url: str(v.PrimaryURL) || str(v.References?.[0]),
    targets: [],
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
