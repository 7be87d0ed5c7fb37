/**
 * The student's journey once an instructor decides (issue 19), against the
 * real hub of hub-setup.ts and the demo's course: told in JupyterLab, the
 * course's dashboard card waiting for a restart instead of a broken page,
 * one click to restart into the course (the hub's own start, back to
 * JupyterLab by itself) and the course kernel after it; a declined
 * student's card dialog reads the decision before it opens. Nothing is
 * mocked: prof decides through the service's API with his own token, as
 * his panel does.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  courseKernelCards,
  expect,
  expectPicture,
  focusWindow,
  HubAdmin,
  launcherCard,
  picture,
  preparePicture,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';
const DASHBOARD = 'Course dashboard';

/** prof decides on `users`' requests, as his panel does. */
async function profDecides(
  hub: HubAdmin,
  decision: 'approve' | 'decline',
  ...users: string[]
): Promise<void> {
  const [status] = await hub.service(
    'prof',
    'POST',
    `courses/${COURSE}/requests/${decision}`,
    { users }
  );
  expect(status).toBe(200);
}

/** The course's "Join" card. */
function joinCard(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-Launcher-body .jp-LauncherCard', {
    has: page.locator('.jp-LauncherCard-label', { hasText: `Join ${COURSE}` })
  });
}

/** Ask to join from the Join card, without a message. */
async function ask(page: IJupyterLabPageFixture): Promise<void> {
  await joinCard(page).click();
  const dialog = page.locator('.jp-HubGroupsJoin-dialog');
  await dialog
    .getByRole('button', { name: /^(Send Request|Ask Again)$/ })
    .click();
  await expect(joinCard(page)).toHaveText(`Join ${COURSE} · Pending`);
}

/** The notifications JupyterLab lists, as text (its toasts). */
function toasts(page: IJupyterLabPageFixture): Locator {
  return page.locator(
    '.jp-Notification-Toast-success, .jp-Notification-Toast-warning, .jp-Notification-Toast-info'
  );
}

test.describe('a student let in', () => {
  test.afterEach(async ({ hub }) => {
    await hub.removeFromGroup(COURSE, 'mmuster2');
    await hub.stopServer('mmuster2');
  });

  test("is told, sees the dashboard wait for a restart, restarts in one click and gets the course's kernel", async ({
    openLab,
    hub
  }) => {
    const student = await openLab('mmuster2');
    await ask(student);
    await expect(
      toasts(student).filter({
        hasText: `Your request to join ${COURSE} is with its instructors.`
      })
    ).toBeVisible();

    await profDecides(hub, 'approve', 'mmuster2');

    // Back to the tab: told, in place of "with its instructors".
    const youreIn = toasts(student).filter({
      hasText: `You are in ${COURSE} now.`
    });
    await expect(async () => {
      await focusWindow(student);
      await expect(youreIn).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(youreIn).toContainText(
      "Its kernels and services come with your server's next start."
    );
    await expect(
      toasts(student).filter({ hasText: 'is with its instructors' })
    ).toHaveCount(0);

    // The course's dashboard comes with the next start: its card says so,
    // and opens the restart, not a page that is not there.
    const waiting = launcherCard(student, `${DASHBOARD} (after a restart)`);
    await expect(waiting).toBeVisible();
    await expect(courseKernelCards(student)).toHaveCount(0);

    // docs/enrolment-youre-in.png: the moment, as the student sees it
    // (without JupyterLab's own question about news, when it is asked).
    const news = student.locator('.Toastify__toast', {
      hasText: 'official Jupyter news'
    });
    if (await news.count()) {
      await news.getByRole('button', { name: 'No', exact: true }).click();
      await expect(news).toHaveCount(0);
    }
    await preparePicture(student, { blur: true });
    const youreInPicture = picture('enrolment-youre-in.png');
    const since = Date.now();
    await student.screenshot({
      path: youreInPicture,
      animations: 'disabled'
    });
    expectPicture(youreInPicture, since, 1000, 700);
    await waiting.click();
    const confirm = student.locator('.jp-Dialog');
    await expect(confirm.locator('.jp-Dialog-header')).toHaveText(
      'Restart your server?'
    );
    await expect(confirm.locator('.jp-Dialog-body')).toContainText(
      `"${DASHBOARD}" comes with a group you joined after your server started.`
    );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(student.locator('.jp-HubGroupsFrame')).toHaveCount(0);

    // One click in the notification, one to confirm: the hub starts the
    // server again and the page comes back to JupyterLab by itself.
    await youreIn.getByRole('button', { name: 'Restart Now' }).click();
    const stopped = student.waitForResponse(
      response =>
        response.url().endsWith('/hub/api/users/mmuster2/server') &&
        response.request().method() === 'DELETE'
    );
    await confirm.getByRole('button', { name: 'Restart' }).click();
    expect([202, 204]).toContain((await stopped).status());
    await student.waitForURL(url => url.pathname.startsWith('/hub/'));
    await student.waitForURL(
      url => url.pathname.startsWith('/user/mmuster2/lab'),
      { timeout: 60_000 }
    );
    await expect(student.locator('#jp-main-dock-panel')).toBeVisible({
      timeout: 60_000
    });

    // The course's kernel, with the logo the YAML gives it, and a plain
    // dashboard card, which opens.
    await expect(courseKernelCards(student).first()).toBeVisible({
      timeout: 30_000
    });
    const logo = courseKernelCards(student).first().locator('img');
    await expect(logo).toHaveAttribute(
      'src',
      /\/kernelspecs\/class1234_semester02\/logo-svg\.svg/
    );
    // drawn by the browser from the file the hub helper wrote
    await expect
      .poll(() => logo.evaluate(img => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    await expect(
      launcherCard(student, `${DASHBOARD} (after a restart)`)
    ).toHaveCount(0);
    await launcherCard(student, DASHBOARD).click();
    const frame = student.locator('.jp-HubGroupsFrame iframe');
    await expect(frame).toHaveAttribute(
      'src',
      /\/user\/mmuster2\/course-dashboard\/$/
    );
    await expect(
      student.frameLocator('.jp-HubGroupsFrame iframe').locator('body')
    ).toContainText(COURSE, { timeout: 30_000 });
  });
});

test.describe('a student declined', () => {
  test('is told, and the card reads the decision before its dialog opens', async ({
    openLab,
    hub
  }) => {
    await hub.removeFromGroup(COURSE, 'alice');
    try {
      const student = await openLab('alice');
      await ask(student);

      await profDecides(hub, 'decline', 'alice');

      // Straight to the card, no focus, no wait for the next read: the
      // dialog is the decision's, not "not decided yet".
      await joinCard(student).click();
      const dialog = student.locator('.jp-HubGroupsJoin-dialog');
      await expect(
        dialog.getByRole('button', { name: 'Ask Again' })
      ).toBeVisible();
      await expect(
        dialog.getByRole('button', { name: 'Withdraw Request' })
      ).toHaveCount(0);
      await expect(
        toasts(student).filter({
          hasText: `Your request to join ${COURSE} was declined.`
        })
      ).toBeVisible();
      await expect(
        toasts(student).filter({ hasText: 'is with its instructors' })
      ).toHaveCount(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await hub.addToGroup(COURSE, 'alice');
      await hub.stopServer('alice');
    }
  });
});
