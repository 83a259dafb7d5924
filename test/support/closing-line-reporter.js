/**
 * Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, as the very last line of a jest run (at
 * process exit, after jest's own summary), so tools that read a run's last lines (CI included) see what ran without
 * parsing jest's format.
 */
const { writeSync } = require('node:fs');

class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    process.once('exit', () => writeSync(2, line));
  }
}

module.exports = ClosingLineReporter;
