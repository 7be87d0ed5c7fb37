/**
 * Loading JupyterLab in the bench: a fresh browser context per load, the
 * time to the launcher read in the page (Performance API), and optionally a
 * CPU profile of the load (Chrome DevTools Protocol) and the bytes of our
 * bundle that the load requested.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';

import { Browser, BrowserContext, Page } from '@playwright/test';

import { ICpuProfile } from './cpuprofile';
import { hubUrl } from './hubapi';

export const PROJECT = path.resolve(__dirname, '..');
export const USER = 'mmuster';
export const OUR_STATIC = '/lab/extensions/jupyterlab-hub-groups/static/';
export const isOurs = (url: string): boolean => url.includes(OUR_STATIC);

const JUPYTER = path.join(PROJECT, '.venv', 'bin', 'jupyter');

/**
 * The Jupyter config folder of USER's single-user server on the bench's hub
 * (SimpleLocalProcessSpawner: HOME is <hub data>/home/<user>). Disabling the
 * extension there (`--level=user`) changes that one server's page config
 * and nothing else on this machine: other people's hubs and tests, which
 * share the venv, keep the extension.
 */
export function serverConfigDir(): string {
  const log = process.env.HUB_GROUPS_LOG;
  if (!log) {
    throw new Error('The hub of ui-tests/hub-setup.ts is not running.');
  }
  return path.join(path.dirname(log), 'home', USER, '.jupyter');
}

/** `jupyter labextension enable|disable` for the bench user's server only. */
export function setEnabled(enabled: boolean): void {
  execFileSync(
    JUPYTER,
    [
      'labextension',
      enabled ? 'enable' : 'disable',
      '--level=user',
      'jupyterlab-hub-groups'
    ],
    {
      stdio: 'ignore',
      env: { ...process.env, JUPYTER_CONFIG_DIR: serverConfigDir() }
    }
  );
}

export const labUrl = (): string => `${hubUrl()}/user/${USER}/lab`;

/**
 * Runs in the page before any of its scripts: follows the number of
 * launcher cards and keeps the `performance.now()` of its first and last
 * change (the time origin is the navigation's start).
 */
function launcherWatch(): void {
  const state = {
    first: null as number | null,
    last: null as number | null,
    count: 0,
    firstCard: null as unknown as Promise<number>
  };
  let resolveFirst: (t: number) => void = () => undefined;
  state.firstCard = new Promise<number>(resolve => (resolveFirst = resolve));
  (window as any).__bench = state;
  // Live collections: cheap to read again after the DOM changes.
  const bodies = document.getElementsByClassName('jp-Launcher-body');
  let body: Element | null = null;
  let cards: HTMLCollection | null = null;
  const check = () => {
    if (body !== bodies[0]) {
      body = bodies[0] ?? null;
      cards = body ? body.getElementsByClassName('jp-LauncherCard') : null;
    }
    const n = cards ? cards.length : 0;
    if (n !== state.count) {
      const now = performance.now();
      state.count = n;
      state.last = now;
      if (state.first === null && n > 0) {
        state.first = now;
        resolveFirst(now);
      }
    }
  };
  const observer = new MutationObserver(check);
  const start = () =>
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true
    });
  if (document.documentElement) {
    start();
  } else {
    document.addEventListener('readystatechange', start, { once: true });
  }
}

export interface ILoad {
  /** Navigation start → first launcher card in the DOM, ms. */
  first: number;
  /** Navigation start → last change of the number of cards, ms. */
  last: number;
  /** Cards at the end. */
  cards: number;
  /** Of which in the category "Bench" (the scale bench's items). */
  benchCards: number;
  /** Our plugins' console warnings (an item left out says why). */
  warnings: string[];
  /**
   * The page's API requests (Resource Timing): path without the query,
   * start and response end (ms from navigation start), the server's wait
   * (request sent → first byte) and the size.
   */
  api: Array<{
    path: string;
    start: number;
    end: number;
    wait: number;
    bytes: number;
  }>;
  /** Whether our plugins ran in this page. */
  ours: boolean;
  redirects: number;
  profile?: ICpuProfile;
  files?: IFile[];
  allJsBytes?: number;
}

export interface IFile {
  file: string;
  /** Lines of the file: a minified (production) file has one or two. */
  lines: number;
  raw: number;
  gzip: number;
  transfer: number;
}

export async function newContext(
  browser: Browser,
  state: string
): Promise<BrowserContext> {
  const context = await browser.newContext({
    storageState: state,
    viewport: { width: 1280, height: 800 }
  });
  await context.addInitScript(launcherWatch);
  await context.addInitScript(() =>
    performance.setResourceTimingBufferSize(5000)
  );
  return context;
}

/**
 * One fresh load (new context: empty cache) of USER's JupyterLab, until the
 * launcher has cards, the network is quiet and the card count has held
 * still for `settleMs`.
 */
export async function loadLab(
  browser: Browser,
  state: string,
  options: { profile?: boolean; settleMs?: number; keep?: boolean } = {}
): Promise<ILoad & { page?: Page; context?: BrowserContext }> {
  const context = await newContext(browser, state);
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', message => {
    if (message.type() === 'warning' && /hub-groups/.test(message.text())) {
      warnings.push(message.text());
    }
  });
  const files: Promise<IFile>[] = [];
  let allJsBytes = 0;
  let cdp: Awaited<ReturnType<BrowserContext['newCDPSession']>> | null = null;
  if (options.profile) {
    page.on('response', response => {
      const url = response.url();
      if (!new URL(url).pathname.endsWith('.js')) {
        return;
      }
      const sized = response
        .request()
        .sizes()
        .then(s => s.responseBodySize)
        .catch(() => 0);
      const body = response.body().catch(() => Buffer.alloc(0));
      files.push(
        Promise.all([body, sized]).then(([data, transfer]) => {
          allJsBytes += data.length;
          return {
            file: url,
            lines: data.toString('utf8').split('\n').length,
            raw: data.length,
            gzip: gzipSync(data, { level: 9 }).length,
            transfer
          };
        })
      );
    });
    // Same origin first, so that the profiled renderer is the one that
    // loads JupyterLab (a cross-site navigation may change process).
    await page.goto(`${hubUrl()}/hub/api/`);
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await page.goto(labUrl(), { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as any).__bench, undefined, {
    polling: 50
  });
  await page.evaluate(
    () =>
      Promise.race([
        (window as any).__bench.firstCard as Promise<number>,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error('no launcher card in 60 s')),
            60_000
          )
        )
      ]),
    undefined
  );
  await page.waitForLoadState('networkidle');
  // The count holds still for settleMs (items join after the groups).
  const settle = options.settleMs ?? 500;
  for (;;) {
    const last = await page.evaluate(() => (window as any).__bench.last);
    const now = await page.evaluate(() => performance.now());
    if (now - last >= settle) {
      break;
    }
    await page.waitForTimeout(settle - (now - last));
  }
  let profile: ICpuProfile | undefined;
  if (cdp) {
    profile = (await cdp.send('Profiler.stop')).profile as ICpuProfile;
    await cdp.detach();
  }
  const read = await page.evaluate(() => {
    const b = (window as any).__bench;
    const nav = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    const app = (window as any).jupyterapp;
    return {
      first: b.first as number,
      last: b.last as number,
      cards: b.count as number,
      benchCards: document.querySelectorAll(
        '.jp-Launcher-body .jp-LauncherCard[data-category="Bench"]'
      ).length,
      ours: !!app?.hasPlugin?.('jupyterlab-hub-groups:groups'),
      redirects: nav?.redirectCount ?? -1,
      api: (
        performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      )
        .filter(e => /\/api\//.test(e.name))
        .map(e => ({
          path: new URL(e.name).pathname.replace(/^\/user\/[^/]+\//, ''),
          start: e.startTime,
          end: e.responseEnd,
          wait: e.responseStart - e.requestStart,
          bytes: e.encodedBodySize
        }))
    };
  });
  const result: ILoad & { page?: Page; context?: BrowserContext } = {
    ...read,
    warnings
  };
  if (options.profile) {
    result.profile = profile;
    result.files = (await Promise.all(files)).filter(f => isOurs(f.file));
    result.allJsBytes = allJsBytes;
  }
  if (options.keep) {
    result.page = page;
    result.context = context;
  } else {
    await context.close();
  }
  return result;
}

/** Log in as USER once; later loads reuse the cookies. */
export async function login(browser: Browser, statePath: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hubUrl()}/hub/login`);
  await page.locator('#username_input').fill(USER);
  await page.locator('#password_input').fill(process.env.HUB_GROUPS_PASSWORD!);
  await page.locator('#login_submit').click();
  try {
    await page.waitForURL(url => url.pathname.startsWith(`/user/${USER}/lab`), {
      timeout: 60_000
    });
  } catch (e) {
    // Say why: the hub's own account of the spawn.
    const log = fs.readFileSync(process.env.HUB_GROUPS_LOG!, 'utf8');
    throw new Error(
      `${USER}'s server did not open (${page.url()}: ${e}); the hub's log ends:\n${log.slice(-4000)}`
    );
  }
  await page.locator('.jp-LauncherCard').first().waitFor({ timeout: 60_000 });
  await context.storageState({ path: statePath });
  await context.close();
}

/**
 * The user's raw launcher settings (after uploading `value`, if given),
 * through JupyterLab's setting registry (Galata's in-page helper), and the
 * items in effect (user settings over the deployment's overrides.json).
 */
export async function launcherSettings(
  page: Page,
  value?: string
): Promise<{ raw: string; items: unknown[] }> {
  return page.evaluate(async raw => {
    const galata = (window as any).galata;
    void galata.app; // hooks galata up to the application
    const registry = await galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    );
    const id = 'jupyterlab-hub-groups:launcher';
    if (raw !== undefined) {
      await registry.upload(id, raw);
    }
    const settings = await registry.load(id);
    return {
      raw: settings.raw as string,
      items: (settings.composite.items ?? []) as unknown[]
    };
  }, value);
}
