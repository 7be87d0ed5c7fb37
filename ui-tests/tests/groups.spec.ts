/**
 * The groups service against a real JupyterHub: who you are and which hub
 * groups you hold, kept up to date without reloading JupyterLab.
 */
import * as fs from 'fs';

import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Request } from '@playwright/test';

import {
  browserPage,
  expect,
  HubAdmin,
  launcherCard,
  reportedGroups,
  setLauncherSettings,
  showMyHubGroups,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';

/**
 * Set the groups service's refresh interval through the setting registry,
 * as a user would in the Settings Editor.
 *
 * @returns Puts back the user's previous value (or none).
 */
async function setRefreshInterval(
  page: IJupyterLabPageFixture,
  seconds: number
): Promise<() => Promise<void>> {
  const before = await page.evaluate(async seconds => {
    const registry = await (window as any).galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    );
    const id = 'jupyterlab-hub-groups:groups';
    const { user } = await registry.get(id, 'refreshInterval');
    await registry.set(id, 'refreshInterval', seconds);
    return user ?? null;
  }, seconds);
  return () =>
    page.evaluate(async before => {
      const registry = await (window as any).galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      const id = 'jupyterlab-hub-groups:groups';
      if (before === null) {
        await registry.remove(id, 'refreshInterval');
      } else {
        await registry.set(id, 'refreshInterval', before);
      }
    }, before);
}

/**
 * Ask our `me` endpoint from the page, with the page's own token (the
 * server caches answers per token). `query` is added to the URL, with
 * `e2e` to mark the request as the test's own.
 *
 * @returns The groups answered.
 */
function askMe(page: IJupyterLabPageFixture, query: string): Promise<string[]> {
  return page.evaluate(async query => {
    const settings = (window as any).jupyterapp.serviceManager.serverSettings;
    const response = await fetch(
      `${settings.baseUrl}hub-groups/api/me?e2e=1&${query}`,
      {
        headers: { Authorization: `token ${settings.token}` },
        cache: 'no-store'
      }
    );
    return (await response.json()).groups;
  }, query);
}

test.describe('groups service', () => {
  test('vex sees vox and not mighty; fjord sees mighty and not vox', async ({
    openLab
  }) => {
    const vex = await openLab('vex');
    const vexDialog = await showMyHubGroups(vex);
    await expect(vexDialog.locator('[data-status]')).toHaveAttribute(
      'data-status',
      'ready'
    );
    await expect(vexDialog.locator('[data-field="user"]')).toHaveText('vex');
    await expect(reportedGroups(vexDialog)).toHaveText(['vox']);

    const fjord = await openLab('fjord');
    const fjordDialog = await showMyHubGroups(fjord);
    await expect(fjordDialog.locator('[data-status]')).toHaveAttribute(
      'data-status',
      'ready'
    );
    await expect(fjordDialog.locator('[data-field="user"]')).toHaveText(
      'fjord'
    );
    await expect(reportedGroups(fjordDialog)).toHaveText(['mighty']);
  });

  test('a group added by an admin shows after a window focus, without reload', async ({
    openLab,
    hub
  }) => {
    const page = await openLab('vex');
    const dialog = await showMyHubGroups(page);
    await expect(reportedGroups(dialog)).toHaveText(['vox']);
    // A reload would lose this marker.
    await page.evaluate(() => ((window as any).__sameDocument = true));

    try {
      await hub.addToGroup(COURSE, 'vex');
      // The server may answer from its few-seconds cache: focus again until
      // the new group arrives.
      await expect(async () => {
        await page.evaluate(() => window.dispatchEvent(new Event('focus')));
        await expect(reportedGroups(dialog)).toHaveText([COURSE, 'vox'], {
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );
    } finally {
      await hub.removeFromGroup(COURSE, 'vex');
    }
  });

  test('a group change shows within the refresh interval, without focus or reload', async ({
    openLab,
    hub
  }) => {
    const page = await openLab('vex');
    const restoreInterval = await setRefreshInterval(page, 10);
    const dialog = await showMyHubGroups(page);
    await expect(reportedGroups(dialog)).toHaveText(['vox']);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const refreshes: string[] = [];
    page.on('request', request => {
      if (request.url().includes('/hub-groups/api/me')) {
        refreshes.push(request.url());
      }
    });

    try {
      await hub.addToGroup(COURSE, 'vex');
      // 10 s interval + up to 5 s of server cache + margin.
      await expect(reportedGroups(dialog)).toHaveText([COURSE, 'vox'], {
        timeout: 30_000
      });
      expect(refreshes.length).toBeGreaterThan(0);
      expect(refreshes.every(url => !url.includes('refresh=1'))).toBe(true);
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );
    } finally {
      await hub.removeFromGroup(COURSE, 'vex');
      await restoreInterval();
    }
  });

  test('focus brings a group change at once, from a fresh answer, long before the interval', async ({
    openLab,
    hub
  }) => {
    const page = await openLab('vex');
    const restoreInterval = await setRefreshInterval(page, 60);
    const dialog = await showMyHubGroups(page);
    await expect(reportedGroups(dialog)).toHaveText(['vox']);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    // The groups service's own requests (ours carry `e2e=`).
    const requests: Request[] = [];
    page.on('request', request => {
      const url = new URL(request.url());
      if (
        url.pathname.endsWith('/hub-groups/api/me') &&
        !url.searchParams.has('e2e')
      ) {
        requests.push(request);
      }
    });

    try {
      // The server now keeps vex's groups before the change, as of now, for
      // a few seconds: a request that takes its cache sees no change.
      expect(await askMe(page, 'max_age=0')).toEqual(['vox']);
      const primed = Date.now();
      await hub.addToGroup(COURSE, 'vex');
      // Past the second a focus accepts (max_age=1), within the cache.
      await page.waitForTimeout(Math.max(0, primed + 1_500 - Date.now()));
      expect(await askMe(page, 'plain')).toEqual(['vox']);
      const focused = await page.evaluate(() => {
        const now = Date.now();
        window.dispatchEvent(new Event('focus'));
        return now;
      });
      await expect(reportedGroups(dialog)).toHaveText([COURSE, 'vox'], {
        timeout: 5_000
      });
      expect(Date.now() - focused).toBeLessThan(5_000);

      // It came from the focus: one request, sent after it, asking for an
      // answer at most a second old; no interval tick since the priming.
      const sent = [];
      for (const request of requests) {
        await request.response();
        const at = request.timing().startTime;
        if (at >= primed - 1_000) {
          sent.push({
            at,
            maxAge: new URL(request.url()).searchParams.get('max_age')
          });
        }
      }
      expect(sent).toHaveLength(1);
      expect(sent[0].maxAge).toBe('1');
      expect(sent[0].at).toBeGreaterThanOrEqual(focused);
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );
    } finally {
      await hub.removeFromGroup(COURSE, 'vex');
      await restoreInterval();
    }
  });

  test("on vox-collab's server, the service reports vex and vex's groups", async ({
    openLab,
    hub
  }) => {
    await hub.startServer('vox-collab');
    try {
      const page = await openLab('vex', { server: 'vox-collab' });
      const dialog = await showMyHubGroups(page);
      await expect(dialog.locator('[data-status]')).toHaveAttribute(
        'data-status',
        'ready'
      );
      await expect(dialog.locator('[data-field="user"]')).toHaveText('vex');
      await expect(dialog.locator('[data-field="server-owner"]')).toHaveText(
        'vox-collab'
      );
      // vox-collab is in "collaborative"; vex is not.
      await expect(reportedGroups(dialog)).toHaveText(['vox']);
    } finally {
      await hub.stopServer('vox-collab');
    }
  });

  test('past a screenful of groups, the report has a filter and a count, and its list scrolls', async ({
    openLab,
    hub
  }) => {
    const names = Array.from(
      { length: 60 },
      (_, i) => `report-g${String(i).padStart(2, '0')}`
    );
    const removeGroups = await hub.makeGroups(names, 'jester');
    try {
      const page = await openLab('jester');
      const dialog = await showMyHubGroups(page);
      // Its styles come with its code (style/report.css, not on the start path).
      await expect(dialog.locator('.jp-HubGroupsReport dl')).toHaveCSS(
        'display',
        'grid'
      );
      const count = dialog.locator('.jp-HubGroupsReport-count');
      // 60 groups and jester's project, mighty (a focus asks again, should
      // the server still hold an answer from before the groups were made).
      await expect(async () => {
        await page.evaluate(() => window.dispatchEvent(new Event('focus')));
        await expect(count).toHaveText('61 groups', { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
      await expect(reportedGroups(dialog)).toHaveCount(61);

      // The list scrolls inside the dialog; the dialog fits the window.
      const list = dialog.locator('.jp-HubGroupsReport-groups');
      expect(
        await list.evaluate(node => node.scrollHeight > node.clientHeight)
      ).toBe(true);
      const box = await dialog.locator('.jp-Dialog-content').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(
        page.viewportSize()!.height
      );

      // Typing narrows the list and changes the count.
      const filter = dialog.getByRole('searchbox', {
        name: 'Filter groups by name'
      });
      await filter.click();
      await filter.pressSequentially('g4');
      await expect(count).toHaveText('10 of 61 shown');
      await expect(reportedGroups(dialog)).toHaveText(names.slice(40, 50));
      await filter.pressSequentially('2');
      await expect(count).toHaveText('1 of 61 shown');
      await expect(reportedGroups(dialog)).toHaveText(['report-g42']);
      await filter.fill('MIGHTY');
      await expect(reportedGroups(dialog)).toHaveText(['mighty']);
      await filter.fill('');
      await expect(count).toHaveText('61 groups');
      await expect(reportedGroups(dialog)).toHaveCount(61);
    } finally {
      await removeGroups();
    }
  });

  test('without the server extension (pike’s server), the browser asks the hub itself: the groups, and the cards they gate', async ({
    openLab
  }) => {
    // hub-setup.ts: pike's server runs without the server extension
    // (HUB_GROUPS_E2E_NO_SERVER_EXTENSION_FOR), as an older image would.
    const page = await openLab('pike');
    try {
      await setLauncherSettings(page, {
        items: [
          {
            id: 'vox-notes',
            label: 'Vox notes',
            groups: ['vox'],
            url: '{base_url}tree/',
            target: 'window'
          },
          {
            id: 'mighty-notes',
            label: 'Mighty notes',
            groups: ['mighty'],
            url: '{base_url}tree/',
            target: 'window'
          }
        ]
      });
      const me = await page.evaluate(async () => {
        const settings = (window as any).jupyterapp.serviceManager
          .serverSettings;
        return (
          await fetch(`${settings.baseUrl}hub-groups/api/me`, {
            headers: { Authorization: `token ${settings.token}` }
          })
        ).status;
      });
      expect(me).toBe(404);

      const dialog = await showMyHubGroups(page);
      await expect(dialog.locator('[data-status]')).toHaveAttribute(
        'data-status',
        'ready'
      );
      await expect(dialog.locator('[data-field="source"]')).toHaveText(
        'JupyterHub API'
      );
      await expect(reportedGroups(dialog)).toHaveText(['vox']);
      await expect(dialog.locator('[data-field="error"]')).toHaveCount(0);
      await browserPage(page).keyboard.press('Escape');

      // The cards the groups gate: his project's, not another's.
      await expect(launcherCard(page, 'Vox notes')).toBeVisible();
      await expect(launcherCard(page, 'Mighty notes')).toHaveCount(0);
      // The hub's answer lists the page token's scopes: it may call the
      // hub-groups service, so the course taking requests has a Join card.
      await expect(launcherCard(page, `Join ${COURSE}`)).toBeVisible();
    } finally {
      await setLauncherSettings(page, {});
    }
  });

  test('a group name mixing right-to-left and Latin text is laid out in its own direction', async ({
    openLab,
    hub
  }) => {
    const name = 'مشروع vox 2';
    const removeGroups = await hub.makeGroups([name], 'fjord');
    try {
      const page = await openLab('fjord');
      const dialog = await showMyHubGroups(page);
      const rtl = reportedGroups(dialog).filter({ hasText: name });
      await expect(rtl).toHaveText(name);
      await expect(rtl).toHaveAttribute('dir', 'auto');
      // as the browser lays it out: right to left, and mighty left to right
      expect(await rtl.evaluate(item => item.matches(':dir(rtl)'))).toBe(true);
      const latin = reportedGroups(dialog).filter({ hasText: 'mighty' });
      expect(await latin.evaluate(item => item.matches(':dir(ltr)'))).toBe(
        true
      );
    } finally {
      await removeGroups();
    }
  });

  test("a start the hub helper's hook missed is said in the report and in the hub's log", async ({
    openLab
  }) => {
    // hub-setup.ts: a pre_spawn_hook set after configure_hub forgets ours
    // for beau (HUB_GROUPS_E2E_HOOK_REPLACED_FOR), as a deployment might
    const beau = await openLab('beau');
    const dialog = await showMyHubGroups(beau);
    const problems = dialog.locator('.jp-HubGroupsReport-problems');
    await expect(problems).toHaveAttribute('role', 'alert');
    await expect(problems).toContainText(
      'The hub reported problems when this server started'
    );
    await expect(problems.locator('li')).toHaveCount(1);
    await expect(problems.locator('li')).toContainText(
      'The hub-groups pre_spawn_hook did not run for this server'
    );
    // the groups are still there: the report adds, it does not replace
    await expect(reportedGroups(dialog)).toHaveText(['mighty']);
    // the hub's log says it too, as an error naming the user
    const log = fs.readFileSync(process.env.HUB_GROUPS_LOG!, 'utf8');
    expect(log).toMatch(
      /\[E [^\]]*\] hub-groups: beau: The hub-groups pre_spawn_hook did not run/
    );

    // a start the hook did not miss reports nothing
    const fjord = await openLab('fjord');
    const clean = await showMyHubGroups(fjord);
    await expect(reportedGroups(clean)).toHaveText(['mighty']);
    await expect(clean.locator('.jp-HubGroupsReport-problems')).toHaveCount(0);
  });
});
