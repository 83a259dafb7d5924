import { UserError } from '../errors';
import { cannotRead, readUserFile, releaseBuffer } from '../util/files';
import { JsonSlices, JsonSyntaxError } from './json-slices';
import { FindingSet, type Finding, type ScanReport } from './model';
import { SEVERITIES, trivySeverity } from './severity';
import { VulnerabilityReader } from './trivy-vulnerability';
import { objectAt, oneOf, optionalString, ReportShapeError, requiredString } from './shape';

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
  const buf = readUserFile(file, (code) =>
    code === 'EISDIR'
      ? `Input '${label}': ${file} is a directory; give the Trivy JSON report file`
      : cannotRead(label, file, code),
  );
  try {
    return parseTrivyReport(buf, file);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new UserError(`${label} ${file} is not valid JSON: ${error.message}`);
    if (error instanceof NotTrivyError) throw new UserError(`${label} ${file} ${error.message}`);
    if (error instanceof ReportShapeError)
      throw new UserError(`${label} ${file} is not a Trivy report the gate can read: ${error.message}`);
    throw error;
  } finally {
    // Every value read from it is a copy (strings, numbers), so the report's bytes can go before the outputs are written.
    releaseBuffer(buf);
  }
}

class NotTrivyError extends Error {}

export function parseTrivyReport(buf: Buffer, fallbackName = 'report'): ScanReport {
  const json = new JsonSlices(buf);
  const start = json.ws(0);
  if (json.peek(start) !== '{') {
    throw new NotTrivyError(
      'is not a Trivy JSON report (expected an object with SchemaVersion 2; write it with trivy --format json)',
    );
  }
  const set = new FindingSet();
  const reader = new VulnerabilityReader(buf);
  let schemaVersion: unknown;
  let artifact = '';
  let version = '';
  const end = json.members(start, (key, pos) => {
    switch (key) {
      case 'SchemaVersion':
      case 'ArtifactName': {
        const { value, end } = json.value(pos);
        if (key === 'SchemaVersion') schemaVersion = value;
        else artifact = optionalString({ ArtifactName: value }, 'ArtifactName', '$');
        return end;
      }
      case 'Trivy': {
        const { value, end } = json.value(pos);
        if (value !== null) version = optionalString(objectAt(value, '$.Trivy'), 'Version', '$.Trivy');
        return end;
      }
      case 'Results': {
        // Trivy leaves Results out (or null) when it found nothing to scan; anything else must be the list.
        if (json.peek(pos) === 'n') return json.skip(pos);
        if (json.peek(pos) !== '[') throw new ReportShapeError('$.Results', 'an array', json.value(pos).value);
        let index = 0;
        return json.elements(pos, (resultPos) => readResult(json, reader, resultPos, set, `$.Results[${index++}]`));
      }
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

function readResult(json: JsonSlices, reader: VulnerabilityReader, pos: number, set: FindingSet, path: string): number {
  if (json.peek(pos) !== '{') throw new ReportShapeError(path, 'an object', json.value(pos).value);
  let target = '';
  const found: Finding[] = [];
  const end = json.members(pos, (key, valuePos) => {
    if (key === 'Target') {
      const { value, end } = json.value(valuePos);
      target = optionalString({ Target: value }, 'Target', path);
      return end;
    }
    if (key === 'Vulnerabilities' && json.peek(valuePos) !== 'n') {
      if (json.peek(valuePos) !== '[')
        throw new ReportShapeError(`${path}.Vulnerabilities`, 'an array', json.value(valuePos).value);
      let index = 0;
      return json.elements(valuePos, (vulnPos) => {
        const at = index++;
        const end = reader.read(vulnPos);
        if (end >= 0) {
          found.push(reader.finding!);
          return end;
        }
        // Anything the byte reader is not sure of: JSON.parse and the checks that name the path.
        const { value, end: valueEnd } = json.value(vulnPos);
        found.push(toFinding(value, `${path}.Vulnerabilities[${at}]`));
        return valueEnd;
      });
    }
    return json.skip(valuePos);
  });
  // Target may follow Vulnerabilities in a hand-edited file, so findings are added once the whole result is read.
  // One array for all of them: a repeat in another result gets a copy with both targets (FindingSet), so 100 000
  // findings do not keep 100 000 one-element arrays alive.
  const targets = [target];
  for (const f of found) {
    f.targets = targets;
    set.add(f);
  }
  return end;
}

/**
 * Only what the gate uses is kept, so the parsed vulnerability (CVSS, references, description) can be collected.
 * The fields that decide the verdict are checked: Trivy always writes VulnerabilityID, PkgName and one of its five
 * severity words (pkg/report/table, dbTypes.SeverityNames); a report without them was not written by Trivy.
 */
function toFinding(value: unknown, path: string): Finding {
  const v = objectAt(value, path) as TrivyVulnerability;
  const record = v as Record<string, unknown>;
  const references = record.References;
  if (references !== undefined && references !== null && !Array.isArray(references))
    throw new ReportShapeError(`${path}.References`, 'an array', references);
  return {
    id: requiredString(record, 'VulnerabilityID', path),
    pkg: requiredString(record, 'PkgName', path),
    installed: optionalString(record, 'InstalledVersion', path),
    fixed: optionalString(record, 'FixedVersion', path),
    severity: trivySeverity(oneOf(record, 'Severity', path, SEVERITIES, true)),
    title: optionalString(record, 'Title', path),
    url: optionalString(record, 'PrimaryURL', path) || (typeof v.References?.[0] === 'string' ? v.References[0] : ''),
    targets: [],
  };
}
