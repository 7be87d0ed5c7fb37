/**
 * The course's history in the Course members panel, against the real
 * JupyterHub and hub-groups service (issue 19, item 4): prof approves one
 * request and declines another, removes mmuster and adds him back, then
 * reads all four (and the requests) in the History section, newest first,
 * with who did what; filters by person and by kind; exports the CSV and
 * the file holds the rows shown. The README's picture of the history.
 */
import * as fs from 'fs';

import { Locator } from '@playwright/test';

import {
  browserPage,
  expect,
  expectPicture,
  HIDE_TOASTS,
  launcherCard,
  picture,
  preparePicture,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';
const MANAGE = `Manage ${COURSE}`;

/** The history's rows as shown: what, who, by whom (not when). */
function historyRows(history: Locator): Locator {
  return history.locator('tbody tr');
}

/** What "by whom" reads for a change the service found, not the panel. */
const OUTSIDE = 'outside the panel';

/**
 * The newest `n` rows made in the panel or by requests: what, who, by whom.
 * Changes made on the hub's API (this suite's set-up, other specs' clean-up)
 * are found by the service's look at the group, which may come at any time
 * during a test: they are left out here and tested on their own below.
 */
async function rowsText(history: Locator, n: number): Promise<string[][]> {
  const found: string[][] = [];
  for (const row of await historyRows(history).all()) {
    const cells = (await row.locator('td').allTextContents()).slice(1, 4);
    if (cells[2] !== OUTSIDE) {
      found.push(cells);
    }
    if (found.length === n) {
      break;
    }
  }
  return found;
}

test.describe('course history', () => {
  test.beforeEach(async ({ hub }) => {
    await hub.removeFromGroup(COURSE, 'mmuster2', 'jester');
    await hub.addToGroup(COURSE, 'alice', 'mmuster');
    await hub.declinePending(COURSE);
  });

  test.afterEach(async ({ hub }) => {
    await hub.removeFromGroup(COURSE, 'mmuster2', 'jester');
    await hub.addToGroup(COURSE, 'mmuster');
  });

  test('prof approves, declines, removes and adds, then reads it all in the history, filters it and exports the CSV', async ({
    openLab,
    hub
  }) => {
    for (const user of ['mmuster2', 'jester']) {
      const [status] = await hub.service(
        user,
        'POST',
        `courses/${COURSE}/requests`,
        { message: `${user} would like to join` }
      );
      expect(status).toBe(201);
    }
    const prof = await openLab('prof');
    await launcherCard(prof, MANAGE).click();
    const panel = prof.locator('.jp-HubGroupsCourse');
    const requests = panel.locator('.jp-HubGroupsRequests');
    await expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText([
      'mmuster2',
      'jester'
    ]);

    // History closed: nothing read yet; opened, it shows what is there.
    const history = panel.locator('.jp-HubGroupsHistory');
    await expect(history).toBeVisible();
    await expect(historyRows(history)).toHaveCount(0);

    // Approve mmuster2; decline jester (confirming if asked).
    await requests.getByRole('button', { name: 'Approve mmuster2' }).click();
    await expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText([
      'jester'
    ]);
    await requests.getByRole('button', { name: 'Decline jester' }).click();
    // (a confirmation, if one is asked, accepted)
    const dialog = prof.locator('.jp-Dialog');
    const waiting = requests.locator('.jp-HubGroupsRequests-user');
    await expect(async () => {
      if (await dialog.isVisible()) {
        await dialog.locator('.jp-mod-accept').last().click();
      }
      await expect(waiting).toHaveCount(0, { timeout: 1_000 });
    }).toPass();

    // Remove mmuster (confirmed), then add him back.
    await panel
      .getByRole('button', { name: 'Remove mmuster', exact: true })
      .click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(panel.locator('.jp-HubGroupsCourse-message')).toHaveText(
      `Removed mmuster from ${COURSE}.`
    );
    // The report reaches the service before the next change.
    const reported = prof.waitForResponse(
      r => r.url().endsWith('/history') && r.request().method() === 'POST'
    );
    await panel.getByLabel('User name', { exact: true }).fill('mmuster');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(panel.locator('.jp-HubGroupsCourse-message')).toHaveText(
      `Added mmuster to ${COURSE}.`
    );
    await reported;

    // The history, newest first, with the keyboard.
    await history.locator('summary').focus();
    await prof.keyboard.press('Enter');
    const status = history.locator('.jp-HubGroupsHistory-status');
    await expect(status).toHaveText(/^\d+ events?/);
    await expect
      .poll(() => rowsText(history, 6))
      .toEqual([
        ['added', 'mmuster', 'prof'],
        ['removed', 'mmuster', 'prof'],
        ['declined', 'jester', 'prof'],
        ['approved', 'mmuster2', 'prof'],
        ['asked to join', 'jester', 'jester'],
        ['asked to join', 'mmuster2', 'mmuster2']
      ]);
    const total = await historyRows(history).count();

    // docs/course-history.png: the history as prof reads it.
    await prof.sidebar.close('left');
    await preparePicture(prof, { blur: true });
    const file = picture('course-history.png');
    const since = Date.now();
    await history.screenshot({
      path: file,
      animations: 'disabled',
      style: HIDE_TOASTS,
      // When differs on every run.
      mask: [history.locator('time')],
      maskColor: '#eeeeee'
    });
    expectPicture(file, since, 500);

    // Filter by person, then by kind.
    await history.getByLabel('Filter by person').fill('JESTER');
    await expect(historyRows(history).first()).toContainText('declined');
    for (const cells of await historyRows(history).all()) {
      await expect(cells.locator('td').nth(2)).toHaveText('jester');
    }
    await history
      .getByLabel('Filter by what happened')
      .selectOption({ label: 'declined' });
    const declined = await historyRows(history).count();
    expect(declined).toBeGreaterThanOrEqual(1);
    await expect(status).toHaveText(`${declined} of ${total} events`);

    // Export CSV: the rows shown, one line each after the header.
    const download = browserPage(prof).waitForEvent('download');
    await history.getByRole('button', { name: 'Export CSV' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(
      new RegExp(`^history-${COURSE}-\\d{4}-\\d\\d-\\d\\d\\.csv$`)
    );
    const text = fs
      .readFileSync((await saved.path())!, 'utf-8')
      .replace(/^\ufeff/, '');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('When,What,Who,By whom,Reason');
    expect(lines).toHaveLength(declined + 1);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[^,]+,declined,jester,prof,/);
  });

  test('a change made on the hub\'s REST API shows, by "outside the panel"', async ({
    openLab,
    hub
  }) => {
    const prof = await openLab('prof');
    await launcherCard(prof, MANAGE).click();
    const panel = prof.locator('.jp-HubGroupsCourse');
    const history = panel.locator('.jp-HubGroupsHistory');
    await history.locator('summary').click();
    await expect(history.locator('.jp-HubGroupsHistory-status')).toHaveText(
      /^\d+ events?|Nothing has happened here yet\./
    );

    // An admin adds jester with the hub's API: the panel knows nothing.
    await hub.addToGroup(COURSE, 'jester');
    await history.getByLabel('Filter by person').fill('jester');
    const newest = historyRows(history).first();
    // The service looks at the group every revalidate_seconds (20 s).
    await expect(async () => {
      await history.getByRole('button', { name: 'Refresh' }).click();
      await expect(newest.locator('td').nth(1)).toHaveText('added', {
        timeout: 2_000
      });
    }).toPass({ timeout: 60_000 });
    await expect(newest.locator('td').nth(2)).toHaveText('jester');
    const by = newest.locator('td').nth(3);
    await expect(by).toHaveText(OUTSIDE);
    await expect(by).toHaveClass(/jp-HubGroupsHistory-nobody/);
  });
});
