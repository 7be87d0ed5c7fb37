/**
 * Projects made in JupyterLab and Share My Server (issue 20), against the
 * real hub of hub-setup.ts (the demo's `settings.runtime_projects`:
 * anyone may make up to three) and the real hub-groups service: nothing is
 * mocked, and the hub is never restarted.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  browserPage,
  expect,
  focusWindow,
  HubAdmin,
  launcherCard,
  test
} from './fixtures';

const PROJECT = 'orca';
const ACCOUNT = `${PROJECT}-collab`;
const COURSE = 'Class1234_Semester02';

/** The projects' cards of the launcher (not New Project…). */
function projectCards(page: IJupyterLabPageFixture): Locator {
  return page
    .locator(
      '.jp-Launcher-body .jp-LauncherCard[data-category="Collaboration"]'
    )
    .filter({ hasText: /^Project / });
}

/** People here's list of a page. */
function people(page: IJupyterLabPageFixture): Locator {
  return page.locator('#jp-hub-groups-presence .jp-HubGroupsPresence-person');
}

/**
 * The status of a request to the server a page is on, made with that
 * page's own token (read from the page once): 200 while its user may use
 * the server, 403 once they may not. Sent from the test, not the page: a
 * page cut off may be navigating to the hub's login, where nothing can be
 * evaluated.
 */
async function ownApiStatus(
  page: IJupyterLabPageFixture
): Promise<() => Promise<number>> {
  const { baseUrl, token } = await page.evaluate(() =>
    JSON.parse(document.getElementById('jupyter-config-data')!.textContent!)
  );
  const url = new URL(`${baseUrl}api/contents`, process.env.HUB_GROUPS_URL);
  return async () =>
    (
      await fetch(url, {
        headers: { Authorization: `token ${token}` },
        redirect: 'manual'
      })
    ).status;
}

/** Run a palette command by its label. */
async function runFromPalette(
  page: IJupyterLabPageFixture,
  label: string
): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  await page.locator('#command-palette .lm-CommandPalette-input').fill(label);
  await page
    .locator('#command-palette .lm-CommandPalette-item', { hasText: label })
    .first()
    .click();
}

/** Delete a project left over by an interrupted run (as its creator). */
async function deleteProject(hub: HubAdmin, creator: string): Promise<void> {
  // 204 has no JSON body: the helper's parse fails after the call is made.
  await hub
    .service(creator, 'DELETE', `projects/${PROJECT}`)
    .catch(() => undefined);
  const [status, body] = await hub.service(creator, 'GET', 'projects');
  expect(status).toBe(200);
  expect(body.projects.map((p: { name: string }) => p.name)).not.toContain(
    PROJECT
  );
}

test.describe('projects made in JupyterLab', () => {
  test('vex makes orca with vax: the card comes to open launchers, both meet on its server, a removed member loses it; fjord never sees it', async ({
    openLab,
    hub
  }) => {
    test.setTimeout(420_000);
    await deleteProject(hub, 'vex');
    try {
      // vax's launcher is open before the project exists.
      const vax = await openLab('vax');
      await expect(projectCards(vax)).toHaveText([/^Project vox · /]);

      const vex = await openLab('vex');
      await launcherCard(vex, 'New Project…').click();
      const dialog = vex.locator('.jp-Dialog');
      await expect(dialog).toContainText('New Project');
      await dialog.getByLabel('Name').fill(PROJECT);
      // Members by name, with the service's completion, by keyboard.
      const member = dialog.getByRole('combobox', {
        name: 'Members (you are one)'
      });
      await member.pressSequentially('va');
      await expect(dialog.locator('datalist option')).toHaveCount(1);
      await expect(dialog.locator('datalist option')).toHaveAttribute(
        'value',
        'vax'
      );
      await member.fill('vax');
      await member.press('Enter');
      await expect(dialog.locator('.jp-HubGroupsPeople-list li')).toHaveText([
        /^vax/
      ]);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(launcherCard(vex, `Project ${PROJECT}`)).toHaveText(
        `Project ${PROJECT} · stopped`,
        { timeout: 30_000 }
      );

      // vax's open launcher shows it without a reload.
      await expect(async () => {
        await focusWindow(vax);
        await expect(launcherCard(vax, `Project ${PROJECT}`)).toBeVisible({
          timeout: 2_000
        });
      }).toPass({ timeout: 60_000 });

      // vax starts it from the card: it opens in a new tab once it runs.
      await launcherCard(vax, `Project ${PROJECT}`).click();
      const tab = browserPage(vax).context().waitForEvent('page');
      await vax
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Start' })
        .click();
      const opened = await tab;
      await opened.waitForURL(
        url =>
          url.pathname.includes(`/user/${ACCOUNT}/`) ||
          url.pathname.includes('/hub/api/oauth2/authorize'),
        { timeout: 120_000 }
      );
      await expect(launcherCard(vax, `Project ${PROJECT}`)).toHaveText(
        `Project ${PROJECT} · running`,
        { timeout: 60_000 }
      );

      // Both on its server: each sees the other in People here.
      const vexThere = await openLab('vex', { server: ACCOUNT });
      const vaxThere = await openLab('vax', { server: ACCOUNT });
      await expect(vexThere.locator('.jp-HubGroupsPresence-count')).toHaveText(
        '2 people here',
        { timeout: 45_000 }
      );
      await vexThere.locator('.jp-HubGroupsPresence-count').click();
      await expect(people(vexThere).filter({ hasText: 'vax' })).toHaveCount(1);
      await vaxThere.locator('.jp-HubGroupsPresence-count').click();
      await expect(people(vaxThere).filter({ hasText: 'vex' })).toHaveCount(1);
      const vaxStatus = await ownApiStatus(vaxThere);
      expect(await vaxStatus()).toBe(200);

      // fjord: no card, and the server refuses him.
      const fjord = await openLab('fjord');
      await expect(projectCards(fjord)).toHaveText([/^Project mighty · /]);
      const probe = await browserPage(fjord).context().newPage();
      const refused = await probe.goto(
        `${hub.url}/user/${ACCOUNT}/api/contents`
      );
      expect(refused?.status()).toBe(403);
      await probe.close();

      // vex removes vax in the Project members panel.
      await launcherCard(vex, `Project ${PROJECT}`).click();
      await vex
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Members…' })
        .click();
      const panel = vex.locator('.jp-HubGroupsProjectMembers');
      await expect(panel.locator('li')).toHaveText([
        'vaxRemove',
        'vex (made the project)'
      ]);
      await panel
        .getByRole('button', { name: `Remove vax from project ${PROJECT}` })
        .click();
      await expect(panel.locator('li')).toHaveText(['vex (made the project)']);
      const removed = Date.now();

      // Within revalidate_seconds (20 s in the demo) vax's requests there
      // are refused, and his card goes.
      await expect.poll(vaxStatus, { timeout: 60_000 }).not.toBe(200);
      expect(Date.now() - removed).toBeLessThan(40_000);
      await expect(async () => {
        await focusWindow(vax);
        await expect(launcherCard(vax, `Project ${PROJECT}`)).toHaveCount(0, {
          timeout: 2_000
        });
      }).toPass({ timeout: 60_000 });
      await expect(projectCards(fjord)).toHaveText([/^Project mighty · /]);
    } finally {
      await deleteProject(hub, 'vex');
    }
  });
});

test.describe('share my server', () => {
  test('mmuster shares her server with her course, alice opens it; once revoked, alice is refused', async ({
    openLab
  }) => {
    test.setTimeout(300_000);
    const mmuster = await openLab('mmuster');
    await runFromPalette(mmuster, 'Share My Server…');
    const dialog = mmuster.locator('.jp-Dialog');
    const shares = dialog.locator('.jp-HubGroupsShare-list li');
    await expect(shares).toHaveText(['Only you.']);
    await dialog
      .getByLabel('Share with one of your groups')
      .selectOption(COURSE);
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(shares.first()).toContainText(`Group ${COURSE}`);
    await expect(shares.first()).toContainText('alice');

    const alice = await openLab('alice', { server: 'mmuster' });
    const aliceStatus = await ownApiStatus(alice);
    expect(await aliceStatus()).toBe(200);

    await dialog
      .getByRole('button', { name: `Revoke access of ${COURSE}` })
      .click();
    await expect(shares).toHaveText(['Only you.']);
    const revoked = Date.now();
    await expect.poll(aliceStatus, { timeout: 60_000 }).not.toBe(200);
    expect(Date.now() - revoked).toBeLessThan(40_000);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
