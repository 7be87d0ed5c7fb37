/**
 * The group-aware launcher against a real hub: the demo deployment's
 * settings (demo/overrides.json) and course (demo/groups.yaml).
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import { expect, test } from './fixtures';

const COURSE = 'Class1234_Semester02';

function card(page: IJupyterLabPageFixture, label: string) {
  return page.locator('.jp-Launcher-body .jp-LauncherCard', {
    has: page.locator('.jp-LauncherCard-label', { hasText: label })
  });
}

/** Kernel cards (notebook and console) of the course kernel. */
function courseKernelCards(page: IJupyterLabPageFixture) {
  return page.locator(
    '.jp-Launcher-body .jp-LauncherCard[data-category="Notebook"], .jp-Launcher-body .jp-LauncherCard[data-category="Console"]',
    { hasText: 'Class 1234' }
  );
}

/** Set this user's launcher settings through JupyterLab's setting registry. */
async function setLauncherSettings(
  page: IJupyterLabPageFixture,
  value: unknown
) {
  await page.evaluate(async value => {
    const registry = await (window as any).galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    );
    await registry.upload(
      'jupyterlab-hub-groups:launcher',
      JSON.stringify(value)
    );
  }, value);
}

test.describe('launcher', () => {
  test('a student sees the course dashboard and kernel; others do not', async ({
    openLab
  }) => {
    const student = await openLab('mmuster');
    await expect(card(student, 'Course dashboard')).toBeVisible();
    await expect(courseKernelCards(student)).toHaveCount(2);

    await card(student, 'Course dashboard').click();
    const frame = student.frameLocator('.jp-HubGroupsFrame iframe');
    await expect(frame.locator('h1')).toHaveText('Course dashboard');
    await expect(frame.locator('#course')).toContainText(COURSE);

    const other = await openLab('fjord');
    await expect(card(other, 'Hub control panel')).toBeVisible();
    await expect(card(other, 'Course dashboard')).toHaveCount(0);
    await expect(courseKernelCards(other)).toHaveCount(0);
  });

  test('cards follow membership changes in an open launcher, without reload', async ({
    openLab,
    hub
  }) => {
    const page = await openLab('fjord');
    await expect(card(page, 'Hub control panel')).toBeVisible();
    await expect(card(page, 'Course dashboard')).toHaveCount(0);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const focus = () =>
      page.evaluate(() => window.dispatchEvent(new Event('focus')));
    try {
      await hub.addToGroup(COURSE, 'fjord');
      await expect(async () => {
        await focus();
        await expect(card(page, 'Course dashboard')).toBeVisible({
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      await hub.removeFromGroup(COURSE, 'fjord');
      await expect(async () => {
        await focus();
        await expect(card(page, 'Course dashboard')).toHaveCount(0, {
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );
    } finally {
      await hub.removeFromGroup(COURSE, 'fjord');
    }
  });

  test('hostile settings: markup stays text and a javascript: URL never opens', async ({
    openLab,
    hub
  }) => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    // A group whose name is markup, with alice in it.
    const created = await fetch(
      `${hub.url}/hub/api/groups/${encodeURIComponent(hostile)}`,
      {
        method: 'POST',
        headers: {
          Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}`
        }
      }
    );
    expect([201, 409]).toContain(created.status);
    await hub.addToGroup(hostile, 'alice');
    const page = await openLab('alice');
    try {
      await setLauncherSettings(page, {
        items: [
          {
            id: 'evil',
            label: hostile,
            groups: [hostile],
            url: 'javascript:window.__pwned=2',
            icon: '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=3"><path d="M0 0h9v9H0z"/></svg>'
          }
        ]
      });
      const evil = card(page, hostile);
      await expect(evil).toBeVisible();
      await expect(evil.locator('.jp-LauncherCard-label')).toHaveText(hostile);
      await evil.click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog).toContainText('only http(s) and relative URLs');
      await dialog.getByRole('button', { name: /ok|dismiss|close/i }).click();

      // The group name in "Show My Hub Groups" is text too.
      // (not awaited: the command resolves when the dialog closes)
      await page.evaluate(() => {
        void (window as any).jupyterapp.commands.execute(
          'hub-groups:show-groups'
        );
      });
      await expect(
        page.locator('.jp-HubGroupsReport-groups li', { hasText: hostile })
      ).toHaveText(hostile);
      // Nothing of the markup became an element anywhere on the page.
      await expect(page.locator('img[src="x"]')).toHaveCount(0);
      expect(
        await page.evaluate(() => (window as any).__pwned)
      ).toBeUndefined();
    } finally {
      await setLauncherSettings(page, {});
      await hub.removeFromGroup(hostile, 'alice');
    }
  });

  test('the + button, launcher:create and a reload still give launchers', async ({
    openLab
  }) => {
    const page = await openLab('mmuster');
    const launchers = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: 'Launcher'
    });
    await expect(launchers).toHaveCount(1);

    await page
      .locator('.lm-DockPanel-tabBar .lm-TabBar-addButton')
      .first()
      .click();
    await expect(launchers).toHaveCount(2);

    await page.keyboard.press('Control+Shift+L');
    await expect(launchers).toHaveCount(3);

    await page.menu.open('File');
    await expect(
      page.locator(
        '.lm-Menu-content .lm-Menu-item[data-command="launcher:create"]'
      )
    ).toHaveCount(1);
    await page.keyboard.press('Escape');

    await page.reload();
    await expect(launchers.first()).toBeVisible();
    await expect(card(page, 'Course dashboard')).toBeVisible();
  });
});
