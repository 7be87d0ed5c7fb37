/**
 * `make bench-launcher`: the launcher benchmark (bench/launcher.spec.ts)
 * against a real JupyterHub started by ui-tests/hub-setup.ts. Run from
 * ui-tests/ (its node_modules), not part of `make test`. Results go to
 * bench/results/ (not ui-tests/test-results/, which an end-to-end run
 * empties).
 */
const os = require('os');
const path = require('path');
const base = require('../ui-tests/playwright.config.js');

module.exports = {
  ...base,
  testDir: __dirname,
  testMatch: 'launcher.spec.ts',
  globalSetup: require.resolve('../ui-tests/hub-setup.ts'),
  // A bench is not retried: a failure is a broken bench, and the sections
  // run in order (serial).
  retries: 0,
  timeout: 60 * 60 * 1000,
  // Playwright's own output (failure context) outside the project, where
  // `jlpm lint` would check its Markdown.
  outputDir: path.join(os.tmpdir(), 'jupyterlab-hub-groups-bench'),
  use: {
    ...base.use,
    trace: 'off'
  }
};
