/**
 * Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, that CI systems which
 * do not parse Jest's own summary can read. Printed at exit so it comes after Jest's summary.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
