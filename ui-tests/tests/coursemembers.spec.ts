/**
 * The Course members panel's results and the Manage card's count, against
 * the real JupyterHub (issue 19): why each name failed, vox's
 * collaboration account never added, the failed names kept in the box,
 * the result above the list and gone at the next action; the card says
 * how many requests to join wait, the notification the student's message. (Beside courses.spec.ts, which is near
 * the length a file may have.)
 */
import { Locator } from '@playwright/test';

import { expect, launcherCard, test } from './fixtures';

const COURSE = 'Class1234_Semester02';
const MANAGE = `Manage ${COURSE}`;

/** The hub's REST API with the tests' service token. */
async function hubApi(
  method: string,
  apiPath: string,
  body?: unknown
): Promise<any> {
  const response = await fetch(
    `${process.env.HUB_GROUPS_URL}/hub/api/${apiPath}`,
    {
      method,
      headers: {
        Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}`,
        'Content-Type': 'application/json'
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    }
  );
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${apiPath} → ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** The names in the members table, as shown. */
function memberNames(panel: Locator): Locator {
  return panel.locator('.jp-HubGroupsCourse-member .jp-HubGroupsCourse-name');
}

test.describe('course members: results', () => {
  test.beforeEach(async ({ hub }) => {
    await hub.removeFromGroup(COURSE, 'mmuster2');
    await hub.addToGroup(COURSE, 'alice', 'mmuster');
    await hub.declinePending(COURSE);
  });

  test('the Manage card counts a waiting request; each failed name says why, vox-collab is never added, the failed names stay in the box, and the result shows above the list until the next action', async ({
    openLab,
    hub
  }) => {
    const [status] = await hub.service(
      'mmuster2',
      'POST',
      `courses/${COURSE}/requests`,
      { message: 'Please let me in' }
    );
    expect(status).toBe(201);
    try {
      const prof = await openLab('prof');
      // The notification shows the student's message (as text, isolated).
      await expect(
        prof.locator('.jp-Notification-Toast-info', {
          hasText: `mmuster2 asks to join ${COURSE}. They wrote: “\u2068Please let me in\u2069”`
        })
      ).toBeVisible();
      const card = launcherCard(prof, MANAGE);
      await expect(card.locator('.jp-LauncherCard-label')).toHaveText(
        `${MANAGE} · 1 waiting`
      );
      await card.click();
      const panel = prof.locator('.jp-HubGroupsCourse');
      await expect(memberNames(panel)).toHaveText(['alice', 'mmuster']);

      const box = panel.getByLabel('User names', { exact: true });
      await box.fill('mmuster2\nnobody\nsomeone/else\nvox-collab');
      await panel.getByRole('button', { name: 'Preview', exact: true }).click();
      const rows = panel.locator('.jp-HubGroupsCourse-previewRow');
      await expect(rows).toHaveText([
        'nobodyunknown user',
        "someone/elseinvalid: A user name cannot contain '/'.",
        'vox-collaba project’s collaboration account, not a person',
        'mmuster2new'
      ]);
      await panel.getByRole('button', { name: 'Add 1 person' }).click();
      const result = panel.getByRole('status');
      await expect(result).toHaveText(
        `Added mmuster2 to ${COURSE}. 3 not added:`
      );
      await expect(panel.locator('.jp-HubGroupsCourse-error')).toHaveText([
        "someone/elseinvalid: A user name cannot contain '/'.",
        'vox-collaba project’s collaboration account, not a person',
        'nobodyunknown user: JupyterHub has no user nobody.'
      ]);
      // The names not added stay, to be fixed; the account never reached
      // the hub's group.
      await expect(box).toHaveValue('someone/else\nvox-collab\nnobody');
      const group = await hubApi('GET', `groups/${COURSE}`);
      expect(group.users.sort()).toEqual(['alice', 'mmuster', 'mmuster2']);

      // Where the eye is: right above the members list, in its column.
      const shown = await result.boundingBox();
      const list = await panel
        .locator('.jp-HubGroupsCourse-members')
        .boundingBox();
      expect(shown!.y + shown!.height).toBeLessThanOrEqual(list!.y);
      expect(Math.abs(shown!.x - list!.x)).toBeLessThan(2);

      // A new action: the last one's lines go.
      await box.fill('someone-else');
      await panel.getByRole('button', { name: 'Preview', exact: true }).click();
      await expect(
        panel.locator('.jp-HubGroupsCourse-previewSummary')
      ).toBeVisible();
      // (an empty line is not drawn: :empty)
      await expect(panel.locator('.jp-HubGroupsCourse-message')).toBeEmpty();
      await expect(result).toBeHidden();
      await expect(panel.locator('.jp-HubGroupsCourse-error')).toHaveCount(0);
    } finally {
      await hub.removeFromGroup(COURSE, 'mmuster2');
      // Withdrawn, not declined: later specs meet mmuster2 as someone who
      // never asked ("Request to join"). Added by prof meanwhile, her
      // request may still be pending (the service settles it only when
      // she asks again).
      await hub.service(
        'mmuster2',
        'DELETE',
        `courses/${COURSE}/requests/mine`
      );
      await hub.declinePending(COURSE);
    }
  });
});
