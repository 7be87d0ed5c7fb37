/**
 * Fixtures of the end-to-end suite: a real JupyterHub (started in
 * hub-setup.ts), real logins through its login form, real JupyterLab.
 * Nothing is mocked: Galata's server mocks are not used.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test as base
} from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import { Locator, Page } from '@playwright/test';

/**
 * Changes the hub through its REST API, with the token of a service made
 * for the tests (see demo/jupyterhub_config.py).
 */
export class HubAdmin {
  constructor(
    readonly url: string,
    private readonly _token: string
  ) {}

  private _userTokens = new Map<string, string>();

  async addToGroup(group: string, ...users: string[]): Promise<void> {
    await this.api('POST', `groups/${encodeURIComponent(group)}/users`, {
      users
    });
  }

  async removeFromGroup(group: string, ...users: string[]): Promise<void> {
    await this.api('DELETE', `groups/${encodeURIComponent(group)}/users`, {
      users
    });
  }

  async groupsOf(user: string): Promise<string[]> {
    return (await this.api('GET', `users/${encodeURIComponent(user)}`)).groups;
  }

  /**
   * Create hub groups with `user` in each (one left over from an
   * interrupted run gets `user` added).
   *
   * @returns Deletes the groups again.
   */
  async makeGroups(
    names: string[],
    user: string
  ): Promise<() => Promise<void>> {
    const call = (method: string, name: string, body?: unknown) =>
      fetch(`${this.url}/hub/api/groups/${encodeURIComponent(name)}`, {
        method,
        headers: {
          Authorization: `token ${this._token}`,
          'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    const remove = async () => {
      for (const name of names) {
        await call('DELETE', name);
      }
    };
    for (const name of names) {
      const created = await call('POST', name, { users: [user] });
      if (created.status === 409) {
        await this.addToGroup(name, user);
      } else if (created.status !== 201) {
        await remove();
        throw new Error(`POST groups/${name} → ${created.status}`);
      }
    }
    return remove;
  }

  /** Start a user's default server and wait until the hub says it is ready. */
  async startServer(user: string): Promise<void> {
    await this.api('POST', `users/${encodeURIComponent(user)}/server`);
    await expect
      .poll(async () => (await this.server(user))?.ready ?? false, {
        timeout: 60_000
      })
      .toBe(true);
  }

  /** Wait until the hub says a user's default server is ready. */
  async waitReady(user: string): Promise<void> {
    await expect
      .poll(async () => (await this.server(user))?.ready ?? false, {
        timeout: 60_000
      })
      .toBe(true);
  }

  /** Stop a user's default server and wait until it is gone. */
  async stopServer(user: string): Promise<void> {
    await this.api('DELETE', `users/${encodeURIComponent(user)}/server`);
    await expect
      .poll(async () => (await this.server(user)) ?? null, { timeout: 60_000 })
      .toBeNull();
  }

  /**
   * The hub-groups service's API, called as `user` does from a script: an
   * API token of theirs (made once per user), in the header.
   *
   * @returns The status and the JSON body.
   */
  async service(
    user: string,
    method: string,
    apiPath: string,
    body?: unknown
  ): Promise<[number, any]> {
    let token = this._userTokens.get(user);
    if (!token) {
      ({ token } = await this.api(
        'POST',
        `users/${encodeURIComponent(user)}/tokens`,
        { note: 'e2e', expires_in: 3600 }
      ));
      this._userTokens.set(user, token!);
    }
    const response = await fetch(
      `${this.url}/services/hub-groups/api/${apiPath}`,
      {
        method,
        headers: {
          Authorization: `token ${token}`,
          'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      }
    );
    return [response.status, await response.json()];
  }

  /**
   * Decline whatever waits in `course`, as its instructor prof: a clean
   * start for the next test.
   */
  async declinePending(course: string): Promise<void> {
    const [status, body] = await this.service(
      'prof',
      'GET',
      `courses/${encodeURIComponent(course)}/requests?state=pending`
    );
    expect(status).toBe(200);
    const users = body.requests.map((r: { user: string }) => r.user);
    if (users.length) {
      await this.service(
        'prof',
        'POST',
        `courses/${encodeURIComponent(course)}/requests/decline`,
        { users }
      );
    }
  }

  private async server(user: string): Promise<{ ready: boolean } | undefined> {
    const model = await this.api('GET', `users/${encodeURIComponent(user)}`);
    return model.servers?.[''];
  }

  private async api(
    method: string,
    path: string,
    body?: unknown
  ): Promise<any> {
    const response = await fetch(`${this.url}/hub/api/${path}`, {
      method,
      headers: {
        Authorization: `token ${this._token}`,
        'Content-Type': 'application/json'
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    // 400 "already running" / "not running" are fine for start/stop.
    if (!response.ok && !(response.status === 400 && /server/.test(path))) {
      throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  }
}

/**
 * Open JupyterLab as `user` on `server` (default: their own), logging in
 * through the hub's login form in a fresh browser context.
 */
export type OpenLab = (
  user: string,
  options?: { server?: string }
) => Promise<IJupyterLabPageFixture>;

export const test = base.extend<{ hub: HubAdmin; openLab: OpenLab }>({
  hub: async ({}, use) => {
    const url = process.env.HUB_GROUPS_URL;
    const token = process.env.HUB_GROUPS_SERVICE_TOKEN;
    if (!url || !token) {
      throw new Error('The hub of hub-setup.ts is not running.');
    }
    await use(new HubAdmin(url, token));
  },

  openLab: async ({ browser, hub, waitForApplication }, use) => {
    const contexts: Array<{ close(): Promise<void> }> = [];
    await use(async (user, options = {}) => {
      const server = options.server ?? user;
      const context = await browser.newContext({
        viewport: { width: 1024, height: 768 }
      });
      contexts.push(context);
      const page = await context.newPage();
      const lab = `/user/${server}/lab`;
      // `?reset`: each test starts from an empty workspace, not from what an
      // earlier test left open on the same server.
      const target = `${lab}?reset`;
      // Logging in goes through the hub's spawn page for one's own server, as
      // for any user; another user's server is opened directly (the test
      // starts it beforehand).
      const next =
        server === user
          ? `/hub/spawn/${user}?next=${encodeURIComponent(target)}`
          : target;
      await page.goto(`${hub.url}/hub/login?next=${encodeURIComponent(next)}`);
      await page.locator('#username_input').fill(user);
      await page
        .locator('#password_input')
        .fill(process.env.HUB_GROUPS_PASSWORD!);
      await page.locator('#login_submit').click();
      if (server !== user) {
        // The hub asks before letting one user into another's server.
        await page.getByRole('button', { name: /authorize/i }).click();
      }
      // Past the hub's spawn-pending page, on the server itself.
      await page.waitForURL(url => url.pathname.startsWith(lab), {
        timeout: 60_000
      });
      // Galata's page object has these two (not in its interface): what
      // its own `page` fixture calls once JupyterLab is loaded.
      const jlab = galata.addHelpersToPage(
        page,
        `${hub.url}/user/${server}`,
        waitForApplication,
        '/lab'
      ) as IJupyterLabPageFixture & {
        waitForAppStarted(): Promise<void>;
        hookHelpersUp(): Promise<void>;
      };
      await jlab.waitForAppStarted();
      await jlab.hookHelpersUp();
      await waitForApplication(page, jlab);
      return jlab;
    });
    for (const context of contexts) {
      await context.close();
    }
  }
});

export { expect };

/**
 * Playwright's own page under Galata's: its `goto` is a plain navigation
 * (Galata's waits for a launcher), its URL assertions the page's.
 */
export function browserPage(page: IJupyterLabPageFixture): Page {
  return (page as unknown as { page: Page }).page;
}

/**
 * Open "Show My Hub Groups" from the command palette; returns the dialog.
 */
export async function showMyHubGroups(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.keyboard.press('Control+Shift+C');
  const input = page.locator('#command-palette .lm-CommandPalette-input');
  await input.fill('Show My Hub Groups');
  await page
    .locator('#command-palette .lm-CommandPalette-item', {
      hasText: 'Show My Hub Groups'
    })
    .first()
    .click();
  const dialog = page
    .locator('.jp-Dialog')
    .filter({ has: page.locator('.jp-HubGroupsReport') });
  await expect(dialog).toBeVisible();
  return dialog;
}

/**
 * The group names the report lists.
 */
export function reportedGroups(dialog: Locator): Locator {
  return dialog.locator('.jp-HubGroupsReport-groups li');
}

/** A launcher card, by (part of) its label. */
export function launcherCard(
  page: IJupyterLabPageFixture,
  label: string
): Locator {
  return page.locator('.jp-Launcher-body .jp-LauncherCard', {
    has: page.locator('.jp-LauncherCard-label', { hasText: label })
  });
}

/**
 * Set the launcher settings of the page's server (the user settings of its
 * owner) through JupyterLab's setting registry, as the Settings Editor does.
 */
export async function setLauncherSettings(
  page: IJupyterLabPageFixture,
  value: unknown
): Promise<void> {
  await page.evaluate(async value => {
    const registry = await (window as any).galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    );
    await registry.upload(
      'jupyterlab-hub-groups:launcher',
      JSON.stringify(value)
    );
  }, value);
}

/** Kernel cards (notebook and console) of the demo's course kernel. */
export function courseKernelCards(page: IJupyterLabPageFixture): Locator {
  return page.locator(
    '.jp-Launcher-body .jp-LauncherCard[data-category="Notebook"], .jp-Launcher-body .jp-LauncherCard[data-category="Console"]',
    { hasText: 'Class 1234' }
  );
}

/** The window gets focus, as when the user comes back to the tab. */
export function focusWindow(page: IJupyterLabPageFixture): Promise<void> {
  return page.evaluate(() => {
    window.dispatchEvent(new Event('focus'));
  });
}

// --- The README's pictures (docs/*.png) -------------------------------------------

/** Where the README's pictures go. */
export const DOCS = path.resolve(__dirname, '..', '..', 'docs');

/** Where a picture goes: `docs/<name>`. */
export function picture(name: string): string {
  fs.mkdirSync(DOCS, { recursive: true });
  return path.join(DOCS, name);
}

/**
 * Drawn over the pictures only: JupyterLab's notifications (such as its
 * question about news), which float over whatever is below them.
 */
export const HIDE_TOASTS =
  '.jp-toastContainer, .Toastify { display: none !important; }';

/**
 * The page as it is pictured: JupyterLab's light theme, no pointer
 * hovering anything; with `viewport`, that window size; with `blur`, no
 * focus ring.
 */
export async function preparePicture(
  page: IJupyterLabPageFixture,
  options: { viewport?: { width: number; height: number }; blur?: boolean } = {}
): Promise<void> {
  if (options.viewport) {
    await page.setViewportSize(options.viewport);
  }
  const light = () =>
    page.evaluate(() => document.body.dataset.jpThemeLight === 'true');
  if (!(await light())) {
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('apputils:change-theme', {
        theme: 'JupyterLab Light'
      })
    );
  }
  await expect.poll(light).toBe(true);
  await page.mouse.move(0, 0);
  if (options.blur) {
    await page.evaluate(() => (document.activeElement as HTMLElement)?.blur());
  }
}

/**
 * Check that `file` is a PNG written since `since`, of at least
 * `minWidth` × `minHeight` pixels and more than a few bytes (a blank
 * picture compresses to almost nothing).
 */
export function expectPicture(
  file: string,
  since: number,
  minWidth: number,
  minHeight = 1
): void {
  const stat = fs.statSync(file);
  expect(stat.mtimeMs).toBeGreaterThanOrEqual(since - 1_000);
  expect(stat.size).toBeGreaterThan(3_000);
  const png = fs.readFileSync(file);
  // The PNG signature, then the IHDR chunk: width and height (big-endian).
  expect(png.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  );
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(minWidth);
  expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(minHeight);
}
