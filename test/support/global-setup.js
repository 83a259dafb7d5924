/**
 * Every temp file of a test run (fixtures, workspaces, registry storage, sandbox roots) lives under one directory made
 * here and removed in global-teardown.js: TMPDIR is inherited by the jest workers and by every process they start.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'harbor-pipelines-tests-'));
  process.env.HARBOR_PIPELINES_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
