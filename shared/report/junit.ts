import type { Finding, ScanReport } from './model';
import type { Verdict } from './policy';

/**
 * JUnit XML for Azure DevOps Publish Test Results (and any JUnit reader): a `policy` testcase with the verdict, then one
 * testcase per finding the policy gates (its severity at or above fail-on, or under a max), grouped in one testsuite per
 * target. A finding fails when its severity broke its rule; findings within a max budget pass.
 */
export function* renderJUnit(report: ScanReport, verdict: Verdict): Generator<string> {
  const gated = new Map(verdict.rules.map((r) => [r.severity, r]));
  const broken = new Set(verdict.violations.map((v) => v.severity));
  const byTarget = new Map<string, Finding[]>();
  for (const f of verdict.counted) {
    if (!gated.has(f.severity)) continue;
    const target = f.targets[0] || report.artifact;
    let list = byTarget.get(target);
    if (!list) byTarget.set(target, (list = []));
    list.push(f);
  }
  let tests = 1;
  let failures = verdict.passed ? 0 : 1;
  for (const list of byTarget.values()) {
    tests += list.length;
    failures += list.filter((f) => broken.has(f.severity)).length;
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${report.artifact}`)}" tests="${tests}" failures="${failures}">\n`;
  yield `  <testsuite name="policy" tests="1" failures="${verdict.passed ? 0 : 1}" errors="0" skipped="0">\n`;
  yield `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${report.artifact}`)}">`;
  yield verdict.passed
    ? '</testcase>\n'
    : `\n      <failure message="${xml(verdict.reason)}" type="policy">${xml(verdict.reason)}</failure>\n    </testcase>\n`;
  yield '  </testsuite>\n';
  // A failure's rule text, escaped once per rule.
  const ruleText = new Map([...gated].map(([severity, rule]) => [severity, xml(rule.source)]));
  for (const [target, list] of byTarget) {
    const failed = list.filter((f) => broken.has(f.severity)).length;
    // The target's escaped name once, not per testcase; testcases are handed on a few hundred at a time.
    const classname = xml(target);
    yield `  <testsuite name="${classname}" tests="${list.length}" failures="${failed}" errors="0" skipped="0">\n`;
    let cases = '';
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      cases += testcase(f, classname, broken.has(f.severity) ? ruleText.get(f.severity) : undefined);
      if (i % 500 === 499) {
        yield cases;
        cases = '';
      }
    }
    yield `${cases}  </testsuite>\n`;
  }
  yield '</testsuites>\n';
}

/**
 * One finding's testcase; `rule` is the escaped source of the rule its severity broke (a failure), undefined when within
 * its budget. Each field is escaped on its own (nearly always: left as it is), never the text made of them: every field
 * stands between literal ASCII text, so this is what escaping the whole name, message and detail gave.
 */
function testcase(f: Finding, classname: string, rule: string | undefined): string {
  const id = xml(f.id);
  const pkg = xml(f.pkg);
  const installed = xml(f.installed);
  const name = `    <testcase classname="${classname}" name="[${f.severity}] ${id} ${pkg}@${installed}`;
  if (rule === undefined) return `${name}"/>\n`;
  // An empty escaped fix (every character one XML cannot hold) stays empty, as when the whole text was escaped.
  const fixed = f.fixed ? xml(f.fixed) : undefined;
  return (
    `${name}">\n      <failure message="${id} (${f.severity}) in ${pkg} ${installed}; fixed in ${fixed ?? 'no release yet'}" type="${f.severity}">` +
    `${f.title ? `${xml(f.title)}\n` : ''}Package: ${pkg}\nInstalled: ${installed}\nFixed: ${fixed ?? 'none'}\nSeverity: ${f.severity}` +
    `\nRule: ${rule}${f.url ? `\nLink: ${xml(f.url)}` : ''}</failure>\n    </testcase>\n`
  );
}

/** JUnit for a scan that produced no verdict (on-scan-error: warn): one errored testcase, so the test run shows it. */
export function renderScanErrorJUnit(artifact: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${artifact}`)}" tests="1" failures="0" errors="1">\n` +
    `  <testsuite name="policy" tests="1" failures="0" errors="1" skipped="0">\n` +
    `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${artifact}`)}">\n` +
    `      <error message="${xml(message)}" type="scan-error">${xml(message)}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n`
  );
}

// eslint-disable-next-line no-control-regex -- finding the control characters XML 1.0 cannot hold is the point
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escapes XML text and attribute values, dropping characters XML 1.0 cannot hold. */
function xml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
