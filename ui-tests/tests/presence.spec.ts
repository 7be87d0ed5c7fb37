/**
 * "People here": members see each other by hub name, in one place: on a
 * collaboration server a section of jupyter-collaboration's own panel, on
 * a personal server our own panel with an icon of its own. Anyone else,
 * even let in by a share, sees nothing and gets 403.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import { expect, HubAdmin, test } from './fixtures';

const LIST = 'jp-hub-groups-presence';
const THEIRS = 'jp-collaboration-panel';
const SECTION_TITLE = 'People here (JupyterHub)';

function people(page: IJupyterLabPageFixture) {
  return page.locator(`#${LIST} .jp-HubGroupsPresence-person`);
}

/** Left-bar tabs whose icon is `icon` (a LabIcon name). */
function tabsWithIcon(page: IJupyterLabPageFixture, icon: string) {
  return page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab', {
    has: page.locator(`svg[data-icon="${icon}"]`)
  });
}

/** Our section's title in jupyter-collaboration's panel. */
function sectionTitle(page: IJupyterLabPageFixture) {
  return page.locator(`#${THEIRS} .lm-AccordionPanel-title`, {
    hasText: SECTION_TITLE
  });
}

async function presenceStatus(page: IJupyterLabPageFixture): Promise<number> {
  return page.evaluate(async () => {
    const config = JSON.parse(
      document.getElementById('jupyter-config-data')!.textContent!
    );
    const response = await fetch(`${config.baseUrl}hub-groups/api/presence`, {
      headers: { Authorization: `token ${config.token}` }
    });
    return response.status;
  });
}

/** Share `owner`'s server with `user`, or take the share back. */
function share(hub: HubAdmin, method: string, owner: string, user: string) {
  return fetch(`${hub.url}/hub/api/shares/${owner}/`, {
    method,
    headers: {
      Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}`,
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({ user })
  });
}

test.describe('people here', () => {
  test("on vox-collab's server: one people tab, our section in jupyter-collaboration's panel; a non-member let in by a share sees nothing", async ({
    openLab,
    hub
  }) => {
    await hub.startServer('vox-collab');
    try {
      const vex = await openLab('vex', { server: 'vox-collab' });
      const vax = await openLab('vax', { server: 'vox-collab' });

      // One place to look: their panel holds our list; no tab of ours.
      await expect(vex.locator('.jp-HubGroupsPresence-count')).toHaveText(
        '2 people here'
      );
      // Its styles come with its code (style/presence.css).
      await expect(vex.locator('.jp-HubGroupsPresence-count')).toHaveCSS(
        'cursor',
        'pointer'
      );
      await expect(tabsWithIcon(vex, 'ui-components:users')).toHaveCount(1);
      await expect(
        tabsWithIcon(vex, 'jupyterlab-hub-groups:people-here')
      ).toHaveCount(0);
      await vex.sidebar.openTab(THEIRS);
      await expect(sectionTitle(vex)).toHaveCount(1);
      await expect(vex.locator(`#${THEIRS} #${LIST}`)).toBeVisible();
      await expect(people(vex).filter({ hasText: 'vax' })).toHaveCount(1);
      await expect(people(vex).filter({ hasText: 'vex (you)' })).toHaveCount(1);

      // The status bar count opens their panel at our section.
      await expect(vax.locator(`#${THEIRS}`)).toBeHidden();
      await vax.locator('.jp-HubGroupsPresence-count').click();
      await expect(vax.locator(`#${THEIRS} #${LIST}`)).toBeVisible();
      await expect(people(vax).filter({ hasText: 'vex' })).toHaveCount(1);
      await expect(tabsWithIcon(vax, 'ui-components:users')).toHaveCount(1);

      // fjord (project mighty) is let into vox-collab's server by a share.
      expect((await share(hub, 'POST', 'vox-collab', 'fjord')).status).toBe(
        200
      );
      const fjord = await openLab('fjord', { server: 'vox-collab' });
      // The page's own request, refused: the list never comes.
      await fjord.waitForResponse(
        response =>
          response.url().includes('/hub-groups/api/presence') &&
          response.status() === 403
      );
      expect(await presenceStatus(fjord)).toBe(403);
      await expect(fjord.locator(`#${LIST}`)).toHaveCount(0);
      await expect(sectionTitle(fjord)).toHaveCount(0);
      await expect(fjord.locator('.jp-HubGroupsPresence-count')).toBeHidden();
      expect(await presenceStatus(vex)).toBe(200);

      // vax closes the page: gone from vex's list within 30 s.
      await vax.close();
      const closed = Date.now();
      await expect(people(vex).filter({ hasText: 'vax' })).toHaveCount(0, {
        timeout: 45_000
      });
      expect(Date.now() - closed).toBeLessThan(30_000);
    } finally {
      await share(hub, 'DELETE', 'vox-collab', 'fjord');
      await hub.stopServer('vox-collab');
    }
  });

  test('on a personal server with a visitor: our own panel, with its own icon', async ({
    openLab,
    hub
  }) => {
    const vex = await openLab('vex');
    try {
      // No jupyter-collaboration panel here (RTC is off on personal servers).
      await expect(vex.locator(`#${THEIRS}`)).toHaveCount(0);
      expect((await share(hub, 'POST', 'vex', 'vax')).status).toBe(200);
      const vax = await openLab('vax', { server: 'vex' });

      // vex (the owner) sees vax arrive, in our own panel.
      const ours = tabsWithIcon(vex, 'jupyterlab-hub-groups:people-here');
      await expect(ours).toHaveCount(1, { timeout: 30_000 });
      await expect(ours).toHaveAttribute('title', SECTION_TITLE);
      await expect(tabsWithIcon(vex, 'ui-components:users')).toHaveCount(0);
      await vex.locator('.jp-HubGroupsPresence-count').click();
      await expect(vex.locator(`#${LIST}`)).toBeVisible();
      await expect(
        vex.locator(`#${LIST} .jp-HubGroupsPresence-title`)
      ).toHaveText('People here');
      await expect(people(vex).filter({ hasText: 'vax' })).toHaveCount(1);
      await expect(people(vex).filter({ hasText: 'vex (you)' })).toHaveCount(1);

      // vax, let in by the share, is not the owner: no list for them.
      expect(await presenceStatus(vax)).toBe(403);
      await expect(vax.locator(`#${LIST}`)).toHaveCount(0);
    } finally {
      await share(hub, 'DELETE', 'vex', 'vax');
    }
  });
});
