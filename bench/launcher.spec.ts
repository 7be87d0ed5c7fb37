/**
 * Does jupyterlab-hub-groups slow JupyterLab down? Against a real hub:
 *
 * 1. Time from navigation to a launcher with cards, with our extension
 *    enabled and disabled (`jupyter labextension disable`), interleaved,
 *    RUNS each, each in a fresh browser context (no cache); medians and ratio.
 * 2. The gzipped size of our built static assets (run after a production
 *    build: `make bench-launcher` does it).
 * 3. Requests: ours to the server (`hub-groups/api/`) and the browser's to
 *    the hub during one page load and one refresh; the server's to the hub,
 *    from the hub's log, as enabled minus disabled; and none while the page
 *    is hidden.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';

import { Browser, expect, Page, test } from '@playwright/test';

const PROJECT = path.resolve(__dirname, '..');
const JUPYTER = path.join(PROJECT, '.venv', 'bin', 'jupyter');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const USER = 'mmuster';

const hubUrl = () => process.env.HUB_GROUPS_URL!;
const hubLog = () => fs.readFileSync(process.env.HUB_GROUPS_LOG!, 'utf8');

function setEnabled(enabled: boolean): void {
  execFileSync(
    JUPYTER,
    [
      'labextension',
      enabled ? 'enable' : 'disable',
      '--level=sys_prefix',
      'jupyterlab-hub-groups'
    ],
    { stdio: 'ignore' }
  );
}

async function login(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hubUrl()}/hub/login`);
  await page.locator('#username_input').fill(USER);
  await page.locator('#password_input').fill(process.env.HUB_GROUPS_PASSWORD!);
  await page.locator('#login_submit').click();
  await page.waitForURL(url => url.pathname.startsWith(`/user/${USER}/lab`), {
    timeout: 60_000
  });
  await page.locator('.jp-LauncherCard').first().waitFor({ timeout: 60_000 });
  const state = path.join(
    PROJECT,
    'ui-tests',
    'test-results',
    'bench-state.json'
  );
  await context.storageState({ path: state });
  await context.close();
  return state;
}

/** Navigation → first launcher card visible, in a fresh context. */
async function loadTime(browser: Browser, state: string): Promise<number> {
  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${hubUrl()}/user/${USER}/lab`);
  await page
    .locator('.jp-Launcher-body .jp-LauncherCard')
    .first()
    .waitFor({ timeout: 60_000 });
  const elapsed = Date.now() - started;
  await context.close();
  return elapsed;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function countRequests(page: Page) {
  const seen = { server: 0, hub: 0, urls: [] as string[] };
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname.includes('/hub-groups/api/')) {
      seen.server++;
      seen.urls.push(url.pathname.split('/hub-groups/api/')[1]);
    } else if (url.pathname.startsWith('/hub/api/')) {
      seen.hub++;
    }
  });
  return seen;
}

const hubUserCalls = (log: string) =>
  (log.match(/ GET \/hub\/api\/user /g) ?? []).length;

test('launcher benchmark', async ({ browser }) => {
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const state = await login(browser);

  // 1. Time to a launcher, interleaved.
  const times = { enabled: [] as number[], disabled: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const enabled of i % 2 ? [false, true] : [true, false]) {
        setEnabled(enabled);
        times[enabled ? 'enabled' : 'disabled'].push(
          await loadTime(browser, state)
        );
      }
    }
  } finally {
    setEnabled(true);
  }
  const on = median(times.enabled);
  const off = median(times.disabled);
  report(`time to launcher, median of ${RUNS} fresh page loads each (ms):`);
  report(`  enabled ${on}, disabled ${off}, ratio ${(on / off).toFixed(3)}`);

  // 2. Size of what we ship.
  const staticDir = path.join(
    PROJECT,
    'jupyterlab_hub_groups',
    'labextension',
    'static'
  );
  let raw = 0;
  let gz = 0;
  for (const name of fs.readdirSync(staticDir).filter(n => n.endsWith('.js'))) {
    const data = fs.readFileSync(path.join(staticDir, name));
    raw += data.length;
    gz += gzipSync(data, { level: 9 }).length;
  }
  report(
    `static assets: ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`
  );

  // 3. Requests during one page load and one refresh.
  const hubCalls = { enabled: 0, disabled: 0 };
  for (const enabled of [false, true]) {
    setEnabled(enabled);
    const context = await browser.newContext({ storageState: state });
    const page = await context.newPage();
    const seen = countRequests(page);
    const before = hubUserCalls(hubLog());
    const answered = enabled
      ? page.waitForResponse(r => r.url().includes('/hub-groups/api/me'))
      : Promise.resolve();
    await page.goto(`${hubUrl()}/user/${USER}/lab`);
    await page.locator('.jp-Launcher-body .jp-LauncherCard').first().waitFor();
    await answered;
    await page.waitForLoadState('networkidle');
    hubCalls[enabled ? 'enabled' : 'disabled'] =
      hubUserCalls(hubLog()) - before;
    if (!enabled) {
      await context.close();
      continue;
    }
    report(
      `one page load: ${seen.server} request(s) to our endpoints (${seen.urls.join(', ')}), ${seen.hub} from the browser to the hub;` +
        ` server → hub /api/user: ${hubCalls.enabled} enabled vs ${hubCalls.disabled} disabled`
    );

    seen.server = seen.hub = 0;
    seen.urls = [];
    const beforeRefresh = hubUserCalls(hubLog());
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('hub-groups:refresh-groups')
    );
    await page.waitForLoadState('networkidle');
    report(
      `one refresh: ${seen.server} request(s) to our endpoint, ${seen.hub} from the browser to the hub,` +
        ` ${hubUserCalls(hubLog()) - beforeRefresh} from the server to the hub`
    );

    // Hidden: the browser reports the page hidden; 25 s at the minimum
    // interval (10 s) would otherwise give two refreshes.
    await page.evaluate(() => {
      // Both, as a browser does (JupyterLab's Poll reads `hidden`).
      Object.defineProperty(document, 'visibilityState', {
        get: () => 'hidden'
      });
      Object.defineProperty(document, 'hidden', { get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.evaluate(async () => {
      const galata = (window as any).galata;
      void galata.app; // hooks galata up to the application
      const registry = await galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry?.set(
        'jupyterlab-hub-groups:groups',
        'refreshInterval',
        10
      );
    });
    seen.server = seen.hub = 0;
    seen.urls = [];
    await page.waitForTimeout(25_000); // a measurement window, not a race
    report(
      `25 s hidden (interval 10 s): ${seen.server + seen.hub} request(s) ${seen.urls.join(' ')}`
    );
    await page.evaluate(async () => {
      const galata = (window as any).galata;
      void galata.app; // hooks galata up to the application
      const registry = await galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry?.remove('jupyterlab-hub-groups:groups', 'refreshInterval');
    });
    await context.close();
  }
  fs.writeFileSync(
    path.join(PROJECT, 'ui-tests', 'test-results', 'bench-launcher.txt'),
    lines.join('\n') + '\n'
  );
  expect(times.enabled).toHaveLength(RUNS);
});
