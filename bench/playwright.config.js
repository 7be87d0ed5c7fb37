/**
 * `make bench-launcher`: the launcher benchmark (bench/launcher.spec.ts)
 * against a real JupyterHub started by ui-tests/hub-setup.ts. Run from
 * ui-tests/ (its node_modules), not part of `make test`.
 */
const path = require('path');
const base = require('../ui-tests/playwright.config.js');

module.exports = {
  ...base,
  testDir: __dirname,
  testMatch: 'launcher.spec.ts',
  globalSetup: require.resolve('../ui-tests/hub-setup.ts'),
  timeout: 30 * 60 * 1000,
  outputDir: path.join(__dirname, '..', 'ui-tests', 'test-results', 'bench')
};
