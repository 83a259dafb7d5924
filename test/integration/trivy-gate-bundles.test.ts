import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarborEmulator, authHeader, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { skopeoCopy } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { referencePath } from '../reference';

jest.setTimeout(60_000);

let harbor: HarborEmulator;

beforeAll(async () => {
  harbor = await startHarborEmulator({ scanTimings: { queuedMs: 20, pendingMs: 20, runningMs: 20 } });
  harbor.setScanFixture('library/clean', { trivy: 'sl-micro-rancher5.4.json' });
  harbor.setScanFixture('library/team/vulnerable', { trivy: 'debian-buster.json' });
  harbor.setScanFixture('library/broken', { trivy: 'debian-buster.json', outcome: 'Error' });
  for (const repository of ['library/clean', 'library/team/vulnerable', 'library/broken']) {
    const image = makeImage({ tag: 'v1', seed: repository });
    await skopeoCopy(image.ref, `docker://${harbor.host}/${repository}:v1`, {
      dest: { host: harbor.host, ...harbor.internalCredentials },
    });
    // Scanned ahead, as scan-on-push does, so the bundles (which poll at production pace) find a finished report.
    const path = `/api/v2.0/projects/library/repositories/${encodeURIComponent(encodeURIComponent(repository.slice('library/'.length)))}/artifacts/v1/scan`;
    const res = await fetch(harbor.url + path, { method: 'POST', headers: authHeader(harbor.admin) });
    expect(res.status).toBe(202);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
});

afterAll(async () => {
  await harbor?.stop();
});

useContractCheck(() => [harbor]);

describe('trivy-gate action bundle', () => {
  it('file source: passes a report within the policy', async () => {
    const run = await runActionBundle('trivy-gate', {
      'report-file': referencePath('trivy', 'alpine-310.json'),
      'fail-on': 'critical',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ medium: '4', total: '4', fixable: '4', result: 'passed' });
    expect(run.summary).toContain('## ✅ Vulnerability gate passed');
  });

  it('file source: fails with the one-line reason', async () => {
    const run = await runActionBundle('trivy-gate', { 'report-file': referencePath('trivy', 'debian-buster.json') });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('::error::Vulnerability gate failed: 1 critical > 0 allowed (fail-on: high)');
    expect(run.outputs).toMatchObject({ critical: '1', low: '1', result: 'failed' });
  });

  it('Harbor source: passes a clean image and fails a vulnerable one; the password is never shown', async () => {
    const inputs = {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      project: 'library',
      reference: 'v1',
    };
    const clean = await runActionBundle('trivy-gate', { ...inputs, repository: 'clean' });
    expect(clean.code).toBe(0);
    expect(clean.outputs).toMatchObject({ total: '0', result: 'passed' });
    const vulnerable = await runActionBundle('trivy-gate', { ...inputs, repository: 'team/vulnerable' });
    expect(vulnerable.code).not.toBe(0);
    expect(vulnerable.outputs).toMatchObject({ critical: '1', result: 'failed' });
    for (const run of [clean, vulnerable])
      expect(run.displayed + run.stderr + run.summary).not.toContain(harbor.admin.password);
  });
});

describe('HarborTrivyGate task bundle', () => {
  it('file source: passes a report within the policy', async () => {
    const run = await runTaskBundle('HarborTrivyGate', {
      reportFile: referencePath('trivy', 'pip.json'),
      failOn: 'critical',
      maxHigh: '1',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ high: '1', medium: '1', result: 'passed' });
    expect(run.stdout).toContain('##vso[task.complete result=Succeeded;]');
  });

  it('file source: fails with the one-line reason naming the ADO input', async () => {
    const run = await runTaskBundle('HarborTrivyGate', {
      reportFile: referencePath('trivy', 'pip.json'),
      failOn: 'medium',
      maxHigh: '0',
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(
      '##vso[task.complete result=Failed;]Vulnerability gate failed: 1 high > 0 allowed (maxHigh: 0), 1 medium > 0 allowed (failOn: medium)',
    );
  });

  it('Harbor source through the service connection: passes a clean image and fails a vulnerable one', async () => {
    const endpoints = {
      harbor: {
        url: harbor.url,
        scheme: 'UsernamePassword',
        parameters: { username: harbor.admin.username, password: harbor.admin.password },
        data: { acceptUntrustedCerts: 'false' },
      },
    };
    const inputs = { harborConnection: 'harbor', project: 'library', reference: 'v1' };
    const clean = await runTaskBundle('HarborTrivyGate', { ...inputs, repository: 'clean' }, { endpoints });
    expect(clean.code).toBe(0);
    expect(clean.outputs).toMatchObject({ total: '0', result: 'passed' });
    const vulnerable = await runTaskBundle(
      'HarborTrivyGate',
      { ...inputs, repository: 'team/vulnerable' },
      { endpoints },
    );
    expect(vulnerable.code).not.toBe(0);
    expect(vulnerable.outputs).toMatchObject({ critical: '1', result: 'failed' });
    expect(vulnerable.stdout).toContain(
      '##vso[task.complete result=Failed;]Vulnerability gate failed: 1 critical > 0 allowed (failOn: high)',
    );
    for (const run of [clean, vulnerable])
      expect(run.displayed + run.stderr + run.summary).not.toContain(harbor.admin.password);
  });

  it('file inputs left empty arrive as the sources directory (the agent fills them in) and count as not set', async () => {
    // The agent roots every filePath input, an empty one too, at Build.SourcesDirectory (TaskRunner.TranslateFilePathInput).
    const sources = mkdtempSync(join(tmpdir(), 'ado-sources-'));
    const blank = {
      reportFile: sources,
      ignoreFile: sources,
      sarifFile: sources,
      junitFile: sources,
      jsonFile: sources,
      caFile: sources,
    };
    const endpoints = {
      harbor: {
        url: harbor.url,
        scheme: 'UsernamePassword',
        parameters: { username: harbor.admin.username, password: harbor.admin.password },
      },
    };
    const run = await runTaskBundle(
      'HarborTrivyGate',
      { harborConnection: 'harbor', project: 'library', repository: 'clean', reference: 'v1', ...blank },
      {
        endpoints,
        env: { BUILD_SOURCESDIRECTORY: sources, SYSTEM_DEFAULTWORKINGDIRECTORY: sources },
      },
    );
    expect(run.stdout).toContain('##vso[task.complete result=Succeeded;]');
    expect(run.outputs).toMatchObject({ total: '0', result: 'passed' });
  });

  it('a scan that ended in Error with onScanError warn: SucceededWithIssues, result output error', async () => {
    const endpoints = {
      harbor: {
        url: harbor.url,
        scheme: 'UsernamePassword',
        parameters: { username: harbor.admin.username, password: harbor.admin.password },
      },
    };
    const run = await runTaskBundle(
      'HarborTrivyGate',
      {
        harborConnection: 'harbor',
        project: 'library',
        repository: 'broken',
        reference: 'v1',
        scan: 'never',
        onScanError: 'warn',
      },
      { endpoints },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ result: 'error' });
    expect(run.stdout).toMatch(
      /##vso\[task\.issue type=warning;[^\]]*\]Harbor scan of library\/broken@sha256:[0-9a-f]+ ended in Error; .*\(onScanError: warn, so the step continues without a verdict\)/,
    );
    expect(run.stdout).toContain('##vso[task.complete result=SucceededWithIssues;]');
  });
});
