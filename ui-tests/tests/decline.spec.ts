/**
 * Declining with a reason, and Undo, against the real hub (issue 19,
 * item 5): prof declines alice's request in the Course members panel
 * through the confirmation with a reason, undoes it (the request waits
 * again), declines again; alice reads the reason on her Join card's dialog.
 */
import { expect, launcherCard, test } from './fixtures';

const COURSE = 'Class1234_Semester02';

test('prof declines with a reason, undoes, declines again; alice reads the reason', async ({
  openLab,
  hub
}) => {
  await hub.removeFromGroup(COURSE, 'alice');
  try {
    const [status] = await hub.service(
      'alice',
      'POST',
      `courses/${COURSE}/requests`,
      { message: 'May I join?' }
    );
    expect(status).toBe(201);
    const prof = await openLab('prof');
    await launcherCard(prof, `Manage ${COURSE}`).click();
    const section = prof.locator('.jp-HubGroupsRequests');
    const rows = section.locator('.jp-HubGroupsRequests-user');
    await expect(rows).toHaveText(['alice']);

    const decline = async (reason: string) => {
      await section.getByRole('button', { name: 'Decline alice' }).click();
      const dialog = prof.locator('.jp-Dialog');
      await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
        'Decline the request of alice?'
      );
      // the reason's field has the focus: typed straight in
      await prof.keyboard.type(reason);
      await dialog
        .getByRole('button', { name: 'Decline', exact: true })
        .click();
      await expect(rows).toHaveCount(0);
    };

    await decline('Wrong course');
    const result = section.locator('.jp-HubGroupsRequests-result');
    await expect(result).toHaveText('Declined the request of alice. Undo');
    await section.getByRole('button', { name: 'Undo declining alice' }).click();
    await expect(result).toHaveText(
      'Undone: the request of alice waits again.'
    );
    await expect(rows).toHaveText(['alice']);

    await decline('The course is full — try in spring');
    await expect(
      section.getByRole('button', { name: 'Undo declining alice' })
    ).toBeVisible();

    const alice = await openLab('alice');
    await launcherCard(alice, `Join ${COURSE}`).click();
    const dialog = alice.locator('.jp-HubGroupsJoin-dialog');
    await expect(dialog).toContainText(
      'Their reason: “\u2068The course is full — try in spring\u2069”'
    );
    await expect(dialog).not.toContainText('Wrong course');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await hub.addToGroup(COURSE, 'alice');
    await hub.stopServer('alice');
  }
});
