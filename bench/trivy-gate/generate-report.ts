/**
 * Writes a synthetic Trivy JSON report (SchemaVersion 2, the shape `trivy image -f json` writes) with a given number of
 * findings. Deterministic (seeded), so every run of the bench gates the same data. The report has several targets,
 * repeats some findings across targets (as Trivy does for a package seen by two analyzers), mixes severities and
 * fixed/unfixed, and carries the bulky fields real reports have (CVSS, references), so parsing cost is realistic.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from '../../test/support/seeded-random';

const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/** Roughly the mix of a large distro image: mostly low/medium. */
const SEVERITY_WEIGHTS = [0.05, 0.35, 0.38, 0.17, 0.05];

export function generateTrivyReport(file: string, findings: number, seed = 42): void {
  const random = seededRandom(seed);
  const fd = openSync(file, 'w');
  let pending = '';
  const write = (text: string) => {
    pending += text;
    if (pending.length > 1 << 20) {
      writeSync(fd, pending);
      pending = '';
    }
  };
  const pick = (): string => {
    let r = random();
    for (let i = 0; i < SEVERITIES.length; i++) {
      r -= SEVERITY_WEIGHTS[i];
      if (r < 0) return SEVERITIES[i];
    }
    return 'LOW';
  };
  const targets = [
    { Target: 'registry.example.com/big/app:1.0 (debian 12.5)', Class: 'os-pkgs', Type: 'debian' },
    { Target: 'usr/local/lib/python3.12/site-packages', Class: 'lang-pkgs', Type: 'python-pkg' },
    { Target: 'app/package-lock.json', Class: 'lang-pkgs', Type: 'npm' },
    { Target: 'app/lib/app.jar', Class: 'lang-pkgs', Type: 'jar' },
  ];
  write(
    `{"SchemaVersion":2,"Trivy":{"Version":"0.58.0"},"CreatedAt":"2026-01-01T00:00:00Z","ArtifactName":"registry.example.com/big/app:1.0",` +
      `"ArtifactType":"container_image","Metadata":{"OS":{"Family":"debian","Name":"12.5"}},"Results":[`,
  );
  const perTarget = Math.ceil(findings / targets.length);
  let written = 0;
  type Vuln = { id: string; pkg: string; version: string; severity: string; fixed: boolean };
  let previous: Vuln[] = [];
  targets.forEach((target, t) => {
    write(
      `${t ? ',' : ''}{"Target":${JSON.stringify(target.Target)},"Class":"${target.Class}","Type":"${target.Type}","Vulnerabilities":[`,
    );
    const count = Math.min(perTarget, findings - written);
    const here: Vuln[] = [];
    for (let i = 0; i < count; i++) {
      // 2 % of findings repeat one from the previous target (same id, package, version, severity and fix), as Trivy
      // reports a package that two analyzers found.
      const repeat =
        previous.length > 0 && random() < 0.02 ? previous[Math.floor(random() * previous.length)] : undefined;
      const n = Math.floor(random() * 60_000);
      const v = repeat ?? {
        id: `CVE-${2015 + (n % 11)}-${10000 + n}`,
        pkg: `pkg-${Math.floor(random() * 5000)}`,
        version: `1.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}`,
        severity: pick(),
        fixed: random() < 0.6,
      };
      here.push(v);
      const score = (random() * 10).toFixed(1);
      write(
        `${i ? ',' : ''}{"VulnerabilityID":"${v.id}","PkgID":"${v.pkg}@${v.version}","PkgName":"${v.pkg}","InstalledVersion":"${v.version}",` +
          (v.fixed ? `"FixedVersion":"${v.version}-fix1","Status":"fixed",` : `"Status":"affected",`) +
          `"SeveritySource":"nvd","PrimaryURL":"https://avd.aquasec.com/nvd/${v.id.toLowerCase()}",` +
          `"Title":"${v.pkg}: issue in parser","Severity":"${v.severity}",` +
          `"CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N","V3Score":${score}}},` +
          `"References":["https://nvd.nist.gov/vuln/detail/${v.id}"],"PublishedDate":"2020-01-01T00:00:00Z"}`,
      );
    }
    written += count;
    previous = here;
    write(']}');
  });
  write(']}\n');
  writeSync(fd, pending);
  closeSync(fd);
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: npx tsx bench/trivy-gate/generate-report.ts <file> [findings]');
  generateTrivyReport(file, Number(count ?? 100_000));
}
