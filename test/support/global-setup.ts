/**
 * Runs once before any test. It stops the run at once, with one line, when a pinned reference file is missing, instead
 * of letting hundreds of tests fail on it. Then: every temp file of the run (fixtures, workspaces, registry storage,
 * sandbox roots) lives under one directory made here and removed in global-teardown.js; TMPDIR is inherited by the
 * jest workers and by every process they start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceProblem } from '../reference';

export default async function globalSetup(): Promise<void> {
  const problem = referenceProblem();
  if (problem) {
    process.stderr.write(`\n${problem}\n`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'harbor-pipelines-tests-'));
  process.env.HARBOR_PIPELINES_TEST_TMP = dir;
  process.env.TMPDIR = dir;
}
