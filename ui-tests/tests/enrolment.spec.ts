/**
 * Requests to join a course, against a real JupyterHub with the demo's
 * hub-groups service (demo/groups.yaml: Class1234_Semester02 takes
 * requests and notifies prof@example.org) and a local SMTP server whose
 * Maildir is `HUB_GROUPS_MAILBOX` (hub-setup.ts).
 *
 * Students ask from their launcher's "Join" card; prof, with JupyterLab
 * open, is notified without a reload and decides in the course's members
 * panel; the students' open launchers follow without a reload. The
 * e-mail's link opens the panel. Nothing is mocked.
 */
import * as fs from 'fs';
import * as path from 'path';

import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  browserPage,
  expect,
  expectPicture,
  focusWindow,
  HIDE_TOASTS,
  launcherCard,
  picture,
  preparePicture,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';
const MANAGE = `Manage ${COURSE}`;

/** The course's "Join" card. */
function joinCard(page: IJupyterLabPageFixture): Locator {
  return page.locator(
    '.jp-Launcher-body .jp-LauncherCard[data-category="Courses"]',
    {
      has: page.locator('.jp-LauncherCard-label', { hasText: `Join ${COURSE}` })
    }
  );
}

/** Mark the page, to show later that it was not reloaded. */
async function mark(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}

async function sameDocument(page: IJupyterLabPageFixture): Promise<boolean> {
  return page.evaluate(() => (window as any).__sameDocument === true);
}

/** Until `check` passes, bringing the window focus before each try. */
async function withFocus(
  page: IJupyterLabPageFixture,
  check: () => Promise<void>
): Promise<void> {
  await expect(async () => {
    await focusWindow(page);
    await check();
  }).toPass({ timeout: 30_000 });
}

// --- The instructors' e-mail, as the SMTP server kept it ------------------------

interface IMail {
  file: string;
  raw: string;
  headers: Record<string, string>;
  subject: string;
  body: string;
}

/** RFC 2047 encoded words (`=?utf-8?q?…?=`, `=?utf-8?b?…?=`) decoded. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?') // spaces between encoded words go
    .replace(
      /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g,
      (_, charset: string, kind: string, text: string) => {
        const bytes =
          kind.toLowerCase() === 'b'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) =>
                    String.fromCharCode(parseInt(hex, 16))
                  ),
                'latin1'
              );
        return bytes.toString(
          charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1'
        );
      }
    );
}

/** A quoted-printable body decoded. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16))
    );
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Every e-mail in the Maildir, parsed. */
function mails(): IMail[] {
  const folder = path.join(process.env.HUB_GROUPS_MAILBOX!, 'new');
  if (!fs.existsSync(folder)) {
    return [];
  }
  return fs.readdirSync(folder).map(name => {
    const file = path.join(folder, name);
    const raw = fs.readFileSync(file, 'latin1');
    const split = raw.search(/\r?\n\r?\n/);
    const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        headers[line.slice(0, colon).toLowerCase()] = line
          .slice(colon + 1)
          .trim();
      }
    }
    let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
    body =
      (headers['content-transfer-encoding'] ?? '').toLowerCase() ===
      'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1').toString('utf8');
    return {
      file,
      raw,
      headers,
      subject: decodeWords(headers['subject'] ?? ''),
      body: body.replace(/\r\n/g, '\n')
    };
  });
}

test.describe('requests to join a course', () => {
  test.beforeEach(async ({ hub }) => {
    // mmuster2 and jester outside the course, nothing pending.
    await hub.removeFromGroup(COURSE, 'mmuster2', 'jester');
    await hub.declinePending(COURSE);
  });

  test("mmuster2 asks with a message; prof's open JupyterLab is notified and opens the panel; he approves, and mmuster2's open launcher gets the course without a reload", async ({
    openLab,
    hub
  }) => {
    const message =
      'Hello Professor X,\nI would like to take this class this semester.';
    const prof = await openLab('prof');
    await expect(launcherCard(prof, MANAGE)).toBeVisible();
    await mark(prof);
    // The instructor has the Manage card, not a Join card, for his course.
    await expect(joinCard(prof)).toHaveCount(0);

    const student = await openLab('mmuster2');
    await mark(student);
    await expect(launcherCard(student, 'Course dashboard')).toHaveCount(0);
    const join = joinCard(student);
    await expect(join).toHaveText(`Join ${COURSE} · Request to join`);
    await expect(join).toHaveAttribute(
      'title',
      `Ask the instructors of ${COURSE} to let you in`
    );
    await expect(
      join.locator('.jp-HubGroupsJoin-status.jp-mod-request')
    ).toHaveCount(1);
    // The badge's styles come with the cards' code (style/joincards.css).
    expect(
      await join
        .locator('.jp-HubGroupsJoin-status')
        .evaluate(node => getComputedStyle(node, '::after').position)
    ).toBe('absolute');

    try {
      // With the keyboard: the card is a button.
      await join.focus();
      await student.keyboard.press('Enter');
      const dialog = student.locator('.jp-HubGroupsJoin-dialog');
      await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
        `Ask to Join ${COURSE}`
      );
      const field = dialog.getByLabel('Message to the instructors (optional)');
      await expect(field).toBeFocused();
      // Typed, Enter making the line break (JupyterLab's dialog takes
      // Enter everywhere else).
      const [first, second] = message.split('\n');
      await field.fill(first);
      await field.press('Enter');
      await field.pressSequentially(second);
      await expect(field).toHaveValue(message);
      await expect(dialog).toBeVisible();
      await expect(dialog.locator('.jp-HubGroupsJoin-counter')).toHaveText(
        `${message.length} / 500 characters`
      );
      await expect(dialog.locator('.jp-HubGroupsJoin-hint')).toContainText(
        "Its kernels and services come at your server's next start"
      );

      // docs/enrolment-join.png: the dialog, as the student fills it in.
      const since = Date.now();
      const joinPicture = picture('enrolment-join.png');
      await preparePicture(student);
      await dialog.locator('.jp-Dialog-content').screenshot({
        path: joinPicture,
        animations: 'disabled',
        style: HIDE_TOASTS
      });
      expectPicture(joinPicture, since, 300);

      const posted = student.waitForResponse(
        response =>
          response
            .url()
            .endsWith(`/services/hub-groups/api/courses/${COURSE}/requests`) &&
          response.request().method() === 'POST'
      );
      await dialog.getByRole('button', { name: 'Send Request' }).click();
      const response = await posted;
      expect(response.status()).toBe(201);
      expect(response.request().headers()['authorization']).toMatch(
        /^token \S+$/
      );
      expect(response.request().headers()['cookie']).toBeUndefined();
      await expect(dialog).toHaveCount(0);
      await expect(join).toHaveText(`Join ${COURSE} · Pending`);
      await expect(
        student.locator('.jp-Notification-Toast-success', {
          hasText: `Your request to join ${COURSE} is with its instructors.`
        })
      ).toBeVisible();

      // prof's JupyterLab, open all along, hears of it (on focus here;
      // every 30 s anyway): one notification, with a button.
      const toast = prof.locator('.jp-Notification-Toast-info', {
        hasText: `mmuster2 asks to join ${COURSE}.`
      });
      await withFocus(prof, () =>
        expect(toast).toBeVisible({ timeout: 1_000 })
      );
      // More reads, no second notification of the same request.
      await focusWindow(prof);
      await prof.evaluate(async () =>
        (window as any).jupyterapp.commands.execute('hub-groups:refresh-groups')
      );
      await expect(toast).toHaveCount(1);
      await toast.getByRole('button', { name: 'Review Requests' }).click();
      const panel = prof.locator('.jp-HubGroupsCourse');
      await expect(panel.locator('.jp-HubGroupsCourse-title')).toHaveText(
        `Members of ${COURSE}`
      );
      const requests = panel.locator('.jp-HubGroupsRequests');
      await expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText([
        'mmuster2'
      ]);
      await expect(
        requests.locator('.jp-HubGroupsRequests-message')
      ).toHaveText(message);
      expect(await sameDocument(prof)).toBe(true);

      // A second request (alice, out of the course for it, from a script
      // with her token), for a picture with both.
      await hub.removeFromGroup(COURSE, 'alice');
      const [status] = await hub.service(
        'alice',
        'POST',
        `courses/${COURSE}/requests`,
        { message: 'May I audit the course? I follow the evening programme.' }
      );
      expect(status).toBe(201);
      await withFocus(prof, () =>
        expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText(
          ['mmuster2', 'alice'],
          { timeout: 1_000 }
        )
      );
      await expect(
        requests.getByRole('button', { name: 'Approve All (2)' })
      ).toBeVisible();

      // docs/enrolment-requests.png: the panel's requests.
      await prof.sidebar.close('left');
      await preparePicture(prof);
      await prof.evaluate(() =>
        (document.activeElement as HTMLElement)?.blur()
      );
      const requestsPicture = picture('enrolment-requests.png');
      const shot = Date.now();
      await requests.screenshot({
        path: requestsPicture,
        animations: 'disabled',
        style: HIDE_TOASTS,
        // When they asked differs on every run.
        mask: [requests.locator('.jp-HubGroupsRequests-asked time')],
        maskColor: '#eeeeee'
      });
      expectPicture(requestsPicture, shot, 500);

      // prof approves mmuster2, with the keyboard.
      await requests
        .getByRole('button', { name: 'Approve mmuster2' })
        .press('Enter');
      await expect(requests.locator('.jp-HubGroupsRequests-result')).toHaveText(
        `Approved mmuster2: a member of ${COURSE} now.`
      );
      await expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText([
        'alice'
      ]);
      // The focus moved on to the next request.
      await expect(
        requests.getByRole('button', { name: 'Approve alice' })
      ).toBeFocused();
      // The members table, read again.
      await expect(
        panel.locator('.jp-HubGroupsCourse-member .jp-HubGroupsCourse-name')
      ).toContainText(['mmuster2']);
      expect(await hub.groupsOf('mmuster2')).toContain(COURSE);

      // mmuster2 comes back to the tab: the course's card is there, the
      // Join card gone, the page not reloaded.
      await withFocus(student, async () => {
        await expect(launcherCard(student, 'Course dashboard')).toBeVisible({
          timeout: 1_000
        });
        await expect(joinCard(student)).toHaveCount(0, { timeout: 1_000 });
      });
      expect(await sameDocument(student)).toBe(true);
    } finally {
      await hub.removeFromGroup(COURSE, 'mmuster2');
      // alice withdraws (she is back to "Request to join" for the next test).
      await hub.service('alice', 'DELETE', `courses/${COURSE}/requests/mine`);
      await hub.declinePending(COURSE);
      await hub.addToGroup(COURSE, 'alice');
    }
  });

  test('prof declines; the student sees "declined" without a reload', async ({
    openLab,
    hub
  }) => {
    await hub.removeFromGroup(COURSE, 'alice');
    try {
      const student = await openLab('alice');
      await mark(student);
      const join = joinCard(student);
      // Nothing asked yet (or declined before: a retry of this test).
      await expect(join).toHaveText(
        new RegExp(`^Join ${COURSE} · (Request to join|Declined — ask again)$`)
      );
      await join.click();
      const dialog = student.locator('.jp-HubGroupsJoin-dialog');
      // No message: it is optional.
      await dialog
        .getByRole('button', { name: /^(Send Request|Ask Again)$/ })
        .click();
      await expect(join).toHaveText(`Join ${COURSE} · Pending`);

      const prof = await openLab('prof');
      await launcherCard(prof, MANAGE).click();
      const requests = prof.locator('.jp-HubGroupsRequests');
      await expect(requests.locator('.jp-HubGroupsRequests-user')).toHaveText([
        'alice'
      ]);
      await expect(
        requests.locator('.jp-HubGroupsRequests-message')
      ).toHaveText('(no message)');
      await requests.getByRole('button', { name: 'Decline alice' }).click();
      // Declining asks first (with an optional reason, none here).
      await prof
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Decline', exact: true })
        .click();
      await expect(
        requests.locator('.jp-HubGroupsRequests-result')
      ).toContainText('Declined the request of alice.');
      await expect(requests.locator('.jp-HubGroupsRequests-empty')).toHaveText(
        'No requests waiting.'
      );
      expect(await hub.groupsOf('alice')).not.toContain(COURSE);

      await withFocus(student, () =>
        expect(join).toHaveText(`Join ${COURSE} · Declined — ask again`, {
          timeout: 1_000
        })
      );
      await expect(join).toHaveAttribute(
        'title',
        `An instructor declined your request to join ${COURSE}; you may ask again`
      );
      await expect(
        join.locator('.jp-HubGroupsJoin-status.jp-mod-declined')
      ).toHaveCount(1);
      await expect(launcherCard(student, 'Course dashboard')).toHaveCount(0);
      expect(await sameDocument(student)).toBe(true);
    } finally {
      await hub.declinePending(COURSE);
      await hub.addToGroup(COURSE, 'alice');
      // Her server started outside the course, without its kernel: later
      // tests start it again, as a member.
      await hub.stopServer('alice');
    }
  });

  test("prof is e-mailed with a link, and the link opens the course's panel", async ({
    openLab,
    hub
  }) => {
    const before = new Set(mails().map(m => m.file));
    const [status] = await hub.service(
      'jester',
      'POST',
      `courses/${COURSE}/requests`,
      { message: 'Could I join, please?\nI missed the first lecture.' }
    );
    expect(status).toBe(201);
    try {
      // Sent off the request path: it arrives shortly after.
      let mail: IMail | undefined;
      await expect
        .poll(
          () =>
            (mail = mails().find(
              m =>
                !before.has(m.file) &&
                m.subject === `Enrolment request: jester → ${COURSE}`
            )),
          { timeout: 30_000 }
        )
        .toBeTruthy();
      expect(mail!.headers['to']).toBe('prof@example.org');
      expect(mail!.body).toContain(`jester asks to join ${COURSE}.`);
      // The student's words, quoted, after the hub's own.
      expect(mail!.body).toContain(
        'Their message (their own words, not from the hub):'
      );
      expect(mail!.body).toContain(
        '> Could I join, please?\n> I missed the first lecture.'
      );
      const link = `${hub.url}/hub/user-redirect/lab?hub-groups-manage=${COURSE}`;
      // An ASCII message: the link is in the file as it is.
      expect(mail!.raw).toContain(link);
      expect(mail!.body.split(/\s+/)).toContain(link);

      // prof, logged in, follows the link (a plain navigation: Galata's
      // own would wait for a launcher, and the panel is shown instead).
      const prof = await openLab('prof');
      await browserPage(prof).goto(link);
      const panel = prof.locator('.jp-HubGroupsCourse');
      await expect(panel.locator('.jp-HubGroupsCourse-title')).toHaveText(
        `Members of ${COURSE}`
      );
      await expect(panel.locator('.jp-HubGroupsRequests-user')).toHaveText([
        'jester'
      ]);
      // The address no longer asks for the panel: a reload does not reopen it.
      await expect(browserPage(prof)).toHaveURL(
        (url: URL) =>
          url.pathname === '/user/prof/lab' &&
          !url.search.includes('hub-groups-manage')
      );
    } finally {
      await hub.declinePending(COURSE);
    }
  });

  test("a hostile message reaches prof's panel and notification as text, in the real browser", async ({
    openLab,
    hub
  }) => {
    // What a student may send: markup, a line break, right-to-left text
    // (an override the service refuses, 400: see the pytest).
    const message =
      '<img src="x" onerror="window.__pwned=1">\n<b>bold</b> שלום';
    const [status] = await hub.service(
      'jester',
      'POST',
      `courses/${COURSE}/requests`,
      { message }
    );
    expect(status).toBe(201);
    try {
      const prof = await openLab('prof');
      const dialogs: string[] = [];
      prof.on('dialog', dialog => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const toast = prof.locator('.jp-Notification-Toast-info', {
        hasText: `jester asks to join ${COURSE}.`
      });
      await withFocus(prof, () =>
        expect(toast).toBeVisible({ timeout: 1_000 })
      );
      await toast.getByRole('button', { name: 'Review Requests' }).click();
      const shown = prof.locator(
        '.jp-HubGroupsRequests .jp-HubGroupsRequests-message'
      );
      // As typed, as text, its line break kept.
      await expect(shown).toHaveText(message);
      expect(await shown.innerText()).toContain('\n');
      await expect(shown).toHaveAttribute('dir', 'auto');
      await expect(shown.locator('img, b')).toHaveCount(0);
      await expect(prof.locator('img[src="x"]')).toHaveCount(0);
      expect(
        await prof.evaluate(() => (window as any).__pwned)
      ).toBeUndefined();
      expect(dialogs).toEqual([]);
    } finally {
      await hub.declinePending(COURSE);
    }
  });

  test('the service refuses a request to join a closed course (403), called from the page with its token', async ({
    openLab
  }) => {
    const student = await openLab('mmuster2');
    await expect(joinCard(student)).toBeVisible();
    // Only courses taking requests have a card: none for a project group.
    await expect(
      student.locator('.jp-LauncherCard[data-category="Courses"]')
    ).toHaveCount(1);
    const answers = await student.evaluate(async course => {
      const config = JSON.parse(
        document.getElementById('jupyter-config-data')!.textContent!
      );
      const base = `${config.hubHost ?? ''}${config.hubPrefix.replace(/hub\/$/, '')}services/hub-groups/api/`;
      const call = async (
        method: string,
        tail: string,
        body?: unknown
      ): Promise<[number, any]> => {
        const response = await fetch(base + tail, {
          method,
          headers: {
            Authorization: `token ${config.token}`,
            'Content-Type': 'application/json'
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'omit',
          cache: 'no-store'
        });
        return [response.status, await response.json()];
      };
      return {
        closed: await call('POST', 'courses/vox/requests', {
          message: 'let me in'
        }),
        unknown: await call('POST', 'courses/No-Such-Course/requests', {}),
        listed: await call('GET', 'courses'),
        decide: await call(
          'POST',
          `courses/${encodeURIComponent(course)}/requests/approve`,
          { users: ['mmuster2'] }
        ),
        pending: await call('GET', 'pending')
      };
    }, COURSE);
    expect(answers.closed[0]).toBe(403);
    expect(answers.closed[1].error).toBe('closed');
    expect(answers.unknown[0]).toBe(403);
    expect(answers.unknown[1].error).toBe('closed');
    expect(answers.listed[0]).toBe(200);
    expect(
      answers.listed[1].courses.map((c: { group: string }) => c.group)
    ).toEqual([COURSE]);
    // A student decides nothing.
    expect(answers.decide[0]).toBe(403);
    expect(answers.decide[1].error).toBe('not-a-manager');
    expect(answers.pending).toEqual([200, { pending: [] }]);
  });
});
