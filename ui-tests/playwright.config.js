/**
 * Playwright configuration: Galata's defaults, against a real JupyterHub
 * started by `hub-setup.ts` (free ports, temporary folder) and stopped at the end.
 */
const fs = require('fs');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Browsers cannot be downloaded everywhere: use the system Chromium when there is one.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  p => fs.existsSync(p)
);

module.exports = {
  ...baseConfig,
  globalSetup: require.resolve('./hub-setup.ts'),
  reporter: [['list']],
  // One hub, two cores: tests run one at a time, each as different users.
  workers: 1,
  fullyParallel: false,
  // One retry: a "Directory not found" dialog has been seen once in four
  // full runs on the collaboration server, cause not yet found (see the
  // issue notes); a retry is reported as "flaky", not hidden.
  retries: 1,
  timeout: 120 * 1000,
  expect: { timeout: 20 * 1000 },
  use: {
    ...baseConfig.use,
    // No video: recording needs a download of ffmpeg.
    video: 'off',
    trace: 'retain-on-failure',
    navigationTimeout: 60 * 1000,
    launchOptions: {
      executablePath: systemChromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  }
};
