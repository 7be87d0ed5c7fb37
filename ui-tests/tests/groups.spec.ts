/**
 * The groups service against a real JupyterHub: who you are and which hub
 * groups you hold, kept up to date without reloading JupyterLab.
 */
import { expect, reportedGroups, showMyHubGroups, test } from './fixtures';

const COURSE = 'Class1234_Semester02';

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
    const setInterval = (seconds: number) =>
      page.evaluate(async seconds => {
        const registry = await (window as any).galata.getPlugin(
          '@jupyterlab/apputils-extension:settings'
        );
        await registry.set(
          'jupyterlab-hub-groups:groups',
          'refreshInterval',
          seconds
        );
      }, seconds);
    await setInterval(10);
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
      await setInterval(60);
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
});
