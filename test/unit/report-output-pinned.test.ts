import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrivyReport } from '../../bench/trivy-gate/generate-report';
import { runCapability } from '../../shared/capability';
import gate from '../../shared/capabilities/trivy-gate';
import { FakePlatform } from '../support/fake-platform';

/**
 * The gate's report files, byte for byte, for the bench's seeded report (30 000 findings: past SARIF's 25 000-result
 * cap, with findings repeated across targets). Speed work on the parser and the writers (bench/trivy-gate) must not
 * change a byte users' tools read; a deliberate format change updates these digests in the same commit.
 */
const PINNED = {
  sarif: 'bf83bc08deeee784b139da39d81d0ae076f19e0a149d87bc34eac90361b475d7',
  junit: '6d92ccf3d5ee84479c7256684faee5f193aa2f0d8bac47ba90eabc2d37d1b50b',
  json: '43064ecda99e5c9251c2ee15f7772db73d66d330e27b0c4deb39d121233d07c0',
  summary: '598795f4be2a2faa2147f6da759272bec02d8348d85368a5a9f94d23398c35e2',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

it('writes the same SARIF, JUnit, findings JSON and summary bytes for the same report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-pinned-'));
  const report = join(dir, 'report.json');
  generateTrivyReport(report, 30_000);
  const platform = new FakePlatform({
    'report-file': report,
    'fail-on': 'critical',
    'max-high': '5000',
    'sarif-file': join(dir, 'out.sarif'),
    'junit-file': join(dir, 'out.xml'),
    'json-file': join(dir, 'out.json'),
  });
  await runCapability(gate, platform);
  expect(platform.result?.result).toBe('failed');
  const digests = {
    sarif: sha256(readFileSync(join(dir, 'out.sarif'), 'utf8')),
    junit: sha256(readFileSync(join(dir, 'out.xml'), 'utf8')),
    json: sha256(readFileSync(join(dir, 'out.json'), 'utf8')),
    summary: sha256(platform.summaries.join('')),
  };
  expect(digests).toEqual(PINNED);
});
