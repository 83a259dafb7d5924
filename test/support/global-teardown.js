/** Removes the run's temp directory made by global-setup.ts. */
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const dir = process.env.HARBOR_PIPELINES_TEST_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
