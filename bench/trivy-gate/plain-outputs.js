/**
 * The floor on equal terms: a plain Node script that reads a Trivy JSON the obvious way (JSON.parse of the whole file),
 * counts unique findings and writes the same SARIF and JUnit bytes as the gate with `fail-on: high` (SARIF as one
 * JSON.stringify of the document, JUnit as one string), plus a job summary with the counts. bench.ts runs it beside the
 * gate and checks with cmp that its SARIF and JUnit are the gate's, so the two do the same work.
 *
 *   node plain-outputs.js <report.json> <out.sarif> <out.xml> <summary.md> <tool version> <information URI>
 *
 * Not product code, and deliberately naive: no ignore file, no other policy, no error handling.
 */
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync, appendFileSync } = require('node:fs');

const [reportFile, sarifFile, junitFile, summaryFile, toolVersion, informationUri] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const artifact = report.ArtifactName || 'report';
const scanner = `Trivy ${report.Trivy?.Version || 'unknown version'}`;

// Unique by (id, package, installed version); a repeat adds its target, the worst severity and any known fix win.
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
const RANK = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };
const unique = new Map();
for (const result of report.Results ?? []) {
  for (const v of result.Vulnerabilities ?? []) {
    const key = `${v.VulnerabilityID}\u0000${v.PkgName}\u0000${v.InstalledVersion}`;
    const seen = unique.get(key);
    if (!seen) {
      unique.set(key, {
        id: v.VulnerabilityID,
        pkg: v.PkgName,
        installed: v.InstalledVersion,
        fixed: v.FixedVersion ?? '',
        severity: v.Severity,
        title: v.Title ?? '',
        url: v.PrimaryURL ?? '',
        targets: [result.Target],
      });
      continue;
    }
    if (!seen.targets.includes(result.Target)) seen.targets.push(result.Target);
    if (RANK[v.Severity] > RANK[seen.severity]) seen.severity = v.Severity;
    if (!seen.fixed && v.FixedVersion) seen.fixed = v.FixedVersion;
    if (!seen.url && v.PrimaryURL) seen.url = v.PrimaryURL;
    if (!seen.title && v.Title) seen.title = v.Title;
  }
}
// Worst first, report order within a severity; fail-on: high gates critical and high.
const buckets = Object.fromEntries(SEVERITIES.map((s) => [s, []]));
for (const f of unique.values()) buckets[f.severity].push(f);
const counted = SEVERITIES.flatMap((s) => buckets[s]);
const counts = Object.fromEntries(SEVERITIES.map((s) => [s, buckets[s].length]));
const rules = ['CRITICAL', 'HIGH'].map((severity) => ({ severity, source: 'fail-on: high' }));
const violations = rules.filter((r) => counts[r.severity] > 0);
const passed = violations.length === 0;
const reason = passed
  ? `Vulnerability gate passed: no critical or high finding (fail-on: high)`
  : `Vulnerability gate failed: ${violations.map((r) => `${counts[r.severity]} ${r.severity.toLowerCase()} > 0 allowed (${r.source})`).join(', ')}`;

// SARIF: the 25 000 most severe results, one rule per id at its worst severity.
const LEVEL = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', UNKNOWN: 'note' };
const SCORE = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: undefined };
const kept = counted.slice(0, 25_000);
const ruleById = new Map();
for (const f of kept) {
  const rule = ruleById.get(f.id);
  if (!rule) ruleById.set(f.id, { index: ruleById.size, finding: f, severity: f.severity });
  else if (RANK[f.severity] > RANK[rule.severity]) rule.severity = f.severity;
}
const isHttpUrl = (text) => /^https?:\/\/\S+$/.test(text);
const locationUri = (target) =>
  encodeURI(target.replace(/\s+\([^()]*\)$/, '').trim() || artifact).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
const sarif = {
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'trivy-gate',
          fullName: `harbor-pipelines trivy-gate (${scanner})`,
          version: toolVersion,
          informationUri,
          rules: [...ruleById.values()].map(({ finding: f, severity }) => {
            const link = isHttpUrl(f.url);
            return {
              id: f.id,
              name: 'Vulnerability',
              shortDescription: { text: f.title || f.id },
              fullDescription: { text: f.title || f.id },
              helpUri: link ? f.url : undefined,
              help: {
                text: `Vulnerability ${f.id}\nSeverity: ${severity}${f.url ? `\nLink: ${f.url}` : ''}`,
                markdown: `**Vulnerability ${f.id}** (${severity})${link ? `\n\n[${f.id}](${f.url})` : ''}`,
              },
              defaultConfiguration: { level: LEVEL[severity] },
              properties: {
                tags: ['vulnerability', 'security', severity],
                precision: 'very-high',
                'security-severity': SCORE[severity],
              },
            };
          }),
        },
      },
      results: kept.map((f) => ({
        ruleId: f.id,
        ruleIndex: ruleById.get(f.id).index,
        level: LEVEL[f.severity],
        message: {
          text:
            `Package: ${f.pkg}\nInstalled Version: ${f.installed}\nVulnerability ${f.id}\nSeverity: ${f.severity}\n` +
            `Fixed Version: ${f.fixed || 'none'}${f.url ? `\nLink: ${f.url}` : ''}${f.targets.length > 1 ? `\nFound in: ${f.targets.join(', ')}` : ''}`,
        },
        locations: f.targets.slice(0, 10).map((target) => ({
          physicalLocation: {
            artifactLocation: { uri: locationUri(target) },
            region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
          },
        })),
        partialFingerprints: {
          primaryLocationLineHash: createHash('sha256')
            .update(`${f.id}\u0000${f.pkg}\u0000${f.installed}\u0000${f.targets[0]}`)
            .digest('hex'),
        },
      })),
      properties: counted.length > kept.length ? { truncatedResults: counted.length - kept.length } : undefined,
    },
  ],
};
writeFileSync(sarifFile, `${JSON.stringify(sarif)}\n`);

// JUnit: the policy, then one testcase per gated finding in a testsuite per target.
const xml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
const byTarget = new Map();
for (const f of counted) {
  if (f.severity !== 'CRITICAL' && f.severity !== 'HIGH') continue;
  if (!byTarget.has(f.targets[0])) byTarget.set(f.targets[0], []);
  byTarget.get(f.targets[0]).push(f);
}
const gatedCount = counts.CRITICAL + counts.HIGH;
let junit = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${artifact}`)}" tests="${gatedCount + 1}" failures="${passed ? 0 : gatedCount + 1}">\n`;
junit += `  <testsuite name="policy" tests="1" failures="${passed ? 0 : 1}" errors="0" skipped="0">\n`;
junit += `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${artifact}`)}">`;
junit += passed
  ? '</testcase>\n'
  : `\n      <failure message="${xml(reason)}" type="policy">${xml(reason)}</failure>\n    </testcase>\n`;
junit += '  </testsuite>\n';
for (const [target, list] of byTarget) {
  junit += `  <testsuite name="${xml(target)}" tests="${list.length}" failures="${list.length}" errors="0" skipped="0">\n`;
  for (const f of list) {
    const detail = `${f.title ? `${f.title}\n` : ''}Package: ${f.pkg}\nInstalled: ${f.installed}\nFixed: ${f.fixed || 'none'}\nSeverity: ${f.severity}\nRule: fail-on: high${f.url ? `\nLink: ${f.url}` : ''}`;
    junit += `    <testcase classname="${xml(target)}" name="${xml(`[${f.severity}] ${f.id} ${f.pkg}@${f.installed}`)}">\n      <failure message="${xml(`${f.id} (${f.severity}) in ${f.pkg} ${f.installed}; fixed in ${f.fixed || 'no release yet'}`)}" type="${f.severity}">${xml(detail)}</failure>\n    </testcase>\n`;
  }
  junit += '  </testsuite>\n';
}
writeFileSync(junitFile, `${junit}</testsuites>\n`);

appendFileSync(
  summaryFile,
  `## ${reason}\n\n| Critical | High | Medium | Low | Unknown | Total |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n` +
    `| ${SEVERITIES.map((s) => counts[s]).join(' | ')} | ${counted.length} |\n`,
);
console.log(JSON.stringify(counts));
