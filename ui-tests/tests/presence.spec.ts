/**
 * "People here" on a collaboration server: members see each other by hub
 * name; anyone else, even let in by a share, sees nothing and gets 403.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import { expect, test } from './fixtures';

const PANEL = 'jp-hub-groups-presence';

function people(page: IJupyterLabPageFixture) {
  return page.locator(`#${PANEL} .jp-HubGroupsPresence-person`);
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

test.describe('people here', () => {
  test('members see each other by hub name; a non-member let in by a share sees nothing', async ({
    openLab,
    hub
  }) => {
    await hub.startServer('vox-collab');
    const share = (method: string) =>
      fetch(`${hub.url}/hub/api/shares/vox-collab/`, {
        method,
        headers: {
          Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}`,
          'Content-Type': 'application/json'
        },
        body: JSON.stringify({ user: 'fjord' })
      });
    try {
      const vex = await openLab('vex', { server: 'vox-collab' });
      const vax = await openLab('vax', { server: 'vox-collab' });

      await vex.sidebar.openTab(PANEL);
      await expect(people(vex).filter({ hasText: 'vax' })).toHaveCount(1);
      await expect(people(vex).filter({ hasText: 'vex (you)' })).toHaveCount(1);
      await vax.sidebar.openTab(PANEL);
      await expect(people(vax).filter({ hasText: 'vex' })).toHaveCount(1);
      await expect(vex.locator('.jp-HubGroupsPresence-count')).toHaveText(
        '2 people here'
      );

      // fjord (project mighty) is let into vox-collab's server by a share.
      expect((await share('POST')).status).toBe(200);
      const fjord = await openLab('fjord', { server: 'vox-collab' });
      expect(await presenceStatus(fjord)).toBe(403);
      await expect(fjord.locator(`#${PANEL}`)).toHaveCount(0);
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
      await share('DELETE');
      await hub.stopServer('vox-collab');
    }
  });
});
