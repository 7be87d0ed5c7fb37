/**
 * The "Course members" panel against a real JupyterHub: the demo's
 * instructor prof (groups!group=Class1234_Semester02 through the role the
 * hub helper makes) adds and removes students of the course from
 * JupyterLab, and the students' open launchers follow.
 */
import * as fs from 'fs';
import * as path from 'path';

import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  courseKernelCards,
  expect,
  focusWindow,
  launcherCard,
  picture,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';
const MANAGE = `Manage ${COURSE}`;
const SCREENSHOT = picture('course-members.png');

/**
 * The hub's REST API with the tests' service token (it may create and
 * delete users, which the fixtures' admin helper does not offer).
 */
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
  if (!response.ok && response.status !== 404) {
    throw new Error(`${method} ${apiPath} → ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Create users (one request), as an admin would before term starts. */
async function createUsers(names: string[]): Promise<void> {
  await hubApi('POST', 'users', { usernames: names });
}

/** Delete users; those already gone are fine. */
async function deleteUsers(names: string[]): Promise<void> {
  for (const name of names) {
    await hubApi('DELETE', `users/${encodeURIComponent(name)}`);
  }
}

/** The course's members, as the hub has them now. */
async function courseMembers(): Promise<string[]> {
  return (await hubApi('GET', `groups/${encodeURIComponent(COURSE)}`)).users;
}

/** Open the panel from the launcher card; returns the panel. */
async function openFromCard(page: IJupyterLabPageFixture): Promise<Locator> {
  await launcherCard(page, MANAGE).click();
  const panel = page.locator('.jp-HubGroupsCourse');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.jp-HubGroupsCourse-title')).toHaveText(
    `Members of ${COURSE}`
  );
  return panel;
}

/** The names in the members table, as shown. */
function memberNames(panel: Locator): Locator {
  return panel.locator('.jp-HubGroupsCourse-member .jp-HubGroupsCourse-name');
}

test.describe('course members', () => {
  test.beforeEach(async ({ hub }) => {
    // The demo's course, whatever an earlier test left.
    const members = await courseMembers();
    const extra = members.filter(m => !['alice', 'mmuster'].includes(m));
    if (extra.length) {
      await hub.removeFromGroup(COURSE, ...extra);
    }
    await hub.addToGroup(COURSE, 'alice', 'mmuster');
  });

  test('prof opens the panel from the Manage card and adds mmuster2 with completion', async ({
    openLab,
    hub
  }) => {
    const prof = await openLab('prof');
    // The card is in the course's own category.
    await expect(launcherCard(prof, MANAGE)).toHaveAttribute(
      'data-category',
      COURSE
    );

    const panel = await openFromCard(prof);
    await expect(memberNames(panel)).toHaveText(['alice', 'mmuster']);
    await expect(panel.locator('.jp-HubGroupsCourse-count')).toHaveText(
      '2 members'
    );
    try {
      const input = panel.getByLabel('User name', { exact: true });
      await input.pressSequentially('mmus');
      // Completion from the users prof may list; members are not offered.
      const options = panel.locator('datalist option');
      await expect(options).toHaveCount(1);
      await expect(options).toHaveAttribute('value', 'mmuster2');
      // Choosing it: the browser's own list, which headless Chromium does
      // not draw; what it would put in the box is the option's value.
      await input.fill((await options.getAttribute('value'))!);
      await panel.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(panel.getByRole('status')).toHaveText(
        `Added mmuster2 to ${COURSE}.`
      );
      await expect(memberNames(panel)).toHaveText([
        'alice',
        'mmuster',
        'mmuster2'
      ]);
      expect(await hub.groupsOf('mmuster2')).toContain(COURSE);
      // Opening it again, from a new launcher, shows the same panel.
      await prof.keyboard.press('Control+Shift+L');
      await launcherCard(prof, MANAGE).click();
      await expect(prof.locator('.jp-HubGroupsCourse')).toHaveCount(1);
      await expect(panel).toBeVisible();
    } finally {
      await hub.removeFromGroup(COURSE, 'mmuster2');
    }
  });

  test('prof pastes 30 names, 2 unknown: one preview request, 28 added, 2 reported', async ({
    openLab,
    hub
  }) => {
    const students = Array.from(
      { length: 28 },
      (_, i) => `e2e-student-${String(i + 1).padStart(2, '0')}`
    );
    const unknown = ['e2e-nobody-1', 'e2e-nobody-2'];
    await createUsers(students);
    try {
      const prof = await openLab('prof');
      const panel = await openFromCard(prof);
      await expect(memberNames(panel)).toHaveCount(2);

      const previews: string[] = [];
      prof.on('request', request => {
        if (/\/hub-groups\/api\/manage\/[^/]+\/preview/.test(request.url())) {
          previews.push(request.url());
        }
      });
      // As pasted from different places: lines, commas, semicolons, tabs.
      const pasted = [
        students.slice(0, 10).join('\n'),
        students.slice(10, 20).join(', '),
        students.slice(20, 25).join('; '),
        students.slice(25).join('\t'),
        unknown.join('\r\n')
      ].join('\n');
      await panel.getByLabel('User names', { exact: true }).fill(pasted);
      const previewed = prof.waitForResponse(
        response =>
          response.url().includes('/preview') &&
          response.request().method() === 'POST'
      );
      await panel.getByRole('button', { name: 'Preview', exact: true }).click();
      expect((await previewed).status()).toBe(200);
      await expect(
        panel.locator('.jp-HubGroupsCourse-previewSummary')
      ).toHaveText(
        'Preview: 28 new · 0 already members · 2 unknown users · 0 invalid'
      );
      const unknownRows = panel.locator(
        '.jp-HubGroupsCourse-previewRow.jp-mod-unknown'
      );
      await expect(unknownRows.locator('td:first-child')).toHaveText(unknown);
      await expect(
        panel.locator('.jp-HubGroupsCourse-previewRow.jp-mod-new')
      ).toHaveCount(28);
      expect(previews).toHaveLength(1);
      expect(await courseMembers()).toHaveLength(2);

      await panel.getByRole('button', { name: 'Add 28 people' }).click();
      await expect(panel.getByRole('status')).toHaveText(
        `Added 28 people to ${COURSE}. 2 not added:`
      );
      const errors = panel.locator('.jp-HubGroupsCourse-error');
      await expect(errors).toHaveCount(2);
      for (const [i, name] of unknown.entries()) {
        await expect(errors.nth(i)).toContainText(name);
        await expect(errors.nth(i)).toContainText('unknown user');
      }
      await expect(panel.locator('.jp-HubGroupsCourse-count')).toHaveText(
        '30 members'
      );
      expect((await courseMembers()).sort()).toEqual(
        ['alice', 'mmuster', ...students].sort()
      );

      // The filter is instant and counts.
      await panel.getByLabel('Filter members').fill('student-2');
      await expect(panel.locator('.jp-HubGroupsCourse-count')).toHaveText(
        '9 of 30 shown'
      );
      expect(previews).toHaveLength(1);
    } finally {
      await hub.removeFromGroup(COURSE, ...students);
      await deleteUsers(students);
    }
  });

  test("prof removes mmuster (confirmed) and undoes it; mmuster's open launcher follows without a reload", async ({
    openLab,
    hub
  }) => {
    const student = await openLab('mmuster');
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();
    await student.evaluate(() => ((window as any).__sameDocument = true));

    const prof = await openLab('prof');
    const panel = await openFromCard(prof);
    try {
      // With the keyboard: the row's button, then the dialog's default.
      await panel
        .getByRole('button', { name: 'Remove mmuster' })
        .press('Enter');
      const dialog = prof.locator('.jp-Dialog');
      await expect(dialog.locator('.jp-Dialog-header')).toHaveText(
        'Remove mmuster?'
      );
      await expect(
        dialog.getByRole('button', { name: 'Remove' })
      ).toBeFocused();
      await prof.keyboard.press('Enter');
      await expect(panel.getByRole('status')).toHaveText(
        `Removed mmuster from ${COURSE}.`
      );
      await expect(memberNames(panel)).toHaveText(['alice']);
      expect(await hub.groupsOf('mmuster')).not.toContain(COURSE);

      await expect(async () => {
        await focusWindow(student);
        await expect(launcherCard(student, 'Course dashboard')).toHaveCount(0, {
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });

      // The focus went to a neighbour's button, not to the page.
      await expect(
        panel.getByRole('button', { name: 'Remove alice' })
      ).toBeFocused();
      await panel
        .getByRole('button', { name: 'Undo: add mmuster back' })
        .press('Enter');
      await expect(panel.getByRole('status')).toHaveText(
        `Undone. Added mmuster to ${COURSE}.`
      );
      await expect(memberNames(panel)).toHaveText(['alice', 'mmuster']);
      expect(await hub.groupsOf('mmuster')).toContain(COURSE);
      await expect(panel.getByRole('button', { name: /^Undo/ })).toBeHidden();

      await expect(async () => {
        await focusWindow(student);
        await expect(launcherCard(student, 'Course dashboard')).toBeVisible({
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      expect(await student.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );
    } finally {
      await hub.addToGroup(COURSE, 'mmuster');
    }
  });

  test("an admin's change shows in prof's open panel without a reload", async ({
    openLab,
    hub
  }) => {
    const prof = await openLab('prof');
    const panel = await openFromCard(prof);
    await expect(memberNames(panel)).toHaveText(['alice', 'mmuster']);
    try {
      await hub.addToGroup(COURSE, 'mmuster2');
      await expect(async () => {
        await focusWindow(prof);
        await expect(memberNames(panel)).toHaveText(
          ['alice', 'mmuster', 'mmuster2'],
          { timeout: 1_000 }
        );
      }).toPass({ timeout: 30_000 });
      await hub.removeFromGroup(COURSE, 'mmuster2');
      // The panel's own poll (every 10 s while shown), without focus.
      await expect(memberNames(panel)).toHaveText(['alice', 'mmuster'], {
        timeout: 30_000
      });
    } finally {
      await hub.removeFromGroup(COURSE, 'mmuster2');
    }
  });

  test("prof's server has the course kernel, and his launcher shows it", async ({
    openLab
  }) => {
    const prof = await openLab('prof');
    await expect(launcherCard(prof, MANAGE)).toBeVisible();
    // The instructor's environment (the hub helper's spawn hook): the
    // kernel exists on prof's own server.
    const kernels = await prof.evaluate(async () => {
      const specs = (window as any).jupyterapp.serviceManager.kernelspecs;
      await specs.refreshSpecs();
      return Object.keys(specs.specs.kernelspecs);
    });
    expect(kernels).toContain('class1234_semester02');
    // Its launcher cards: the demo's settings show the course kernel and
    // dashboard to the course's students and to the instructors group.
    await expect(courseKernelCards(prof)).toHaveCount(2, { timeout: 5_000 });
    await expect(launcherCard(prof, 'Course dashboard')).toBeVisible({
      timeout: 1_000
    });
  });

  test('a student sees no Manage card and is refused by the endpoints', async ({
    openLab,
    hub
  }) => {
    const student = await openLab('mmuster');
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();
    await expect(launcherCard(student, 'Manage')).toHaveCount(0);
    // The same calls the panel makes, from the student's page with its
    // own token and XSRF cookie.
    const answers = await student.evaluate(async course => {
      const settings = (window as any).jupyterapp.serviceManager.serverSettings;
      const xsrf = document.cookie.match(/(?:^|; )_xsrf=([^;]*)/)?.[1];
      const call = async (
        tail: string,
        method = 'GET',
        body?: unknown
      ): Promise<[number, any]> => {
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
          Authorization: `token ${settings.token}`
        };
        if (xsrf) {
          headers['X-XSRFToken'] = decodeURIComponent(xsrf);
        }
        const response = await fetch(
          `${settings.baseUrl}hub-groups/api/manage${tail}`,
          {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            cache: 'no-store'
          }
        );
        return [response.status, await response.json()];
      };
      const group = `/${encodeURIComponent(course)}`;
      const names = { names: ['mmuster2'] };
      return {
        groups: await call(''),
        members: await call(group),
        users: await call(`${group}/users?prefix=mm`),
        preview: await call(`${group}/preview`, 'POST', names),
        add: await call(`${group}/add`, 'POST', names),
        remove: await call(`${group}/remove`, 'POST', { names: ['alice'] }),
        command: (window as any).jupyterapp.commands.isVisible(
          'hub-groups:manage-course',
          {}
        )
      };
    }, COURSE);
    expect(answers.groups).toEqual([200, { groups: [], titles: {} }]);
    for (const refused of [
      answers.members,
      answers.users,
      answers.preview,
      answers.add,
      answers.remove
    ]) {
      expect(refused[0]).toBe(403);
      expect(refused[1].error).toBe('not-a-manager');
    }
    // No palette item either.
    expect(answers.command).toBe(false);
    expect((await courseMembers()).sort()).toEqual(['alice', 'mmuster']);
    expect(await hub.groupsOf('mmuster2')).not.toContain(COURSE);
  });

  test('the panel from the command palette, with a preview (docs/course-members.png)', async ({
    openLab
  }) => {
    const prof = await openLab('prof');
    await expect(launcherCard(prof, MANAGE)).toBeVisible();
    await prof.keyboard.press('Control+Shift+C');
    await prof
      .locator('#command-palette .lm-CommandPalette-input')
      .fill('Manage Course Members');
    await prof
      .locator('#command-palette .lm-CommandPalette-item', {
        hasText: 'Manage Course Members…'
      })
      .click();
    const panel = prof.locator('.jp-HubGroupsCourse');
    await expect(memberNames(panel)).toHaveText(['alice', 'mmuster']);

    // One name of each kind, for the picture.
    await panel
      .getByLabel('User names', { exact: true })
      .fill('mmuster2\nalice\nnobody\nsomeone/else');
    await panel.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(
      panel.locator('.jp-HubGroupsCourse-previewSummary')
    ).toHaveText(
      'Preview: 1 new · 1 already a member · 1 unknown user · 1 invalid'
    );
    await expect(
      panel.getByRole('button', { name: 'Add 1 person' })
    ).toBeEnabled();

    // A stable picture: the left panel closed, no focus ring, no hover.
    await prof.sidebar.close('left');
    await prof.evaluate(() => (document.activeElement as HTMLElement)?.blur());
    await prof.mouse.move(0, 0);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await panel.screenshot({
      path: SCREENSHOT,
      animations: 'disabled',
      // JupyterLab's own toasts (the news question) are not the panel's.
      style: '.Toastify { display: none !important; }'
    });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});
