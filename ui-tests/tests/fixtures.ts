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
