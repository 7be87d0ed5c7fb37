/**
 * The group-aware launcher against a real hub: the demo deployment's
 * settings (demo/overrides.json) and course (demo/groups.yaml).
 */
import * as fs from 'fs';

import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import {
  courseKernelCards,
  expect,
  launcherCard,
  setLauncherSettings,
  test
} from './fixtures';

const COURSE = 'Class1234_Semester02';

test.describe('launcher', () => {
  test('a student sees the course dashboard and kernel; others do not', async ({
    openLab
  }) => {
    const student = await openLab('mmuster');
    await expect(launcherCard(student, 'Course dashboard')).toBeVisible();
    await expect(courseKernelCards(student)).toHaveCount(2);

    await launcherCard(student, 'Course dashboard').click();
    const frame = student.frameLocator('.jp-HubGroupsFrame iframe');
    await expect(frame.locator('h1')).toHaveText('Course dashboard');
    await expect(frame.locator('#course')).toContainText(COURSE);

    const other = await openLab('fjord');
    await expect(launcherCard(other, 'Hub control panel')).toBeVisible();
    await expect(launcherCard(other, 'Course dashboard')).toHaveCount(0);
    await expect(courseKernelCards(other)).toHaveCount(0);
  });

  test('cards follow membership changes in an open launcher, without reload', async ({
    openLab,
    hub
  }) => {
    const page = await openLab('fjord');
    await expect(launcherCard(page, 'Hub control panel')).toBeVisible();
    await expect(launcherCard(page, 'Course dashboard')).toHaveCount(0);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const focus = () =>
      page.evaluate(() => window.dispatchEvent(new Event('focus')));
    try {
      await hub.addToGroup(COURSE, 'fjord');
      await expect(async () => {
        await focus();
        await expect(launcherCard(page, 'Course dashboard')).toBeVisible({
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      await hub.removeFromGroup(COURSE, 'fjord');
      await expect(async () => {
        await focus();
        await expect(launcherCard(page, 'Course dashboard')).toHaveCount(0, {
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

  test('hostile settings: markup stays text, and a javascript: URL is not even shown', async ({
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
            url: '{base_url}course-dashboard/',
            icon: '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=3"><path d="M0 0h9v9H0z"/></svg>'
          },
          {
            id: 'evil-url',
            label: 'Evil URL',
            url: 'javascript:window.__pwned=2'
          }
        ]
      });
      const evil = launcherCard(page, hostile);
      await expect(evil).toBeVisible();
      await expect(evil.locator('.jp-LauncherCard-label')).toHaveText(hostile);
      // Refused when the settings are read, not when clicked.
      await expect(launcherCard(page, 'Evil URL')).toHaveCount(0);

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

  test('hostile settings, all at once: no script runs, good cards stay, bad ones are named and left out', async ({
    openLab
  }) => {
    const page = await openLab('alice');
    // Traps: a native dialog, a call of window.alert, or a payload setting
    // window.__pwned all count as script run from the settings.
    const dialogs: string[] = [];
    page.on('dialog', dialog => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const warnings: string[] = [];
    page.on('console', message => {
      if (message.type() === 'warning') {
        warnings.push(message.text());
      }
    });
    await page.evaluate(() => {
      window.alert = (message?: unknown) => {
        (window as any).__pwned = `alert: ${message}`;
      };
    });
    const SVG = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"';
    const shape = '<path d="M4 4h16v16H4z"/>';
    const pwn = (name: string) => `window.__pwned='${name}';alert('${name}')`;
    const url = 'https://example.org/';
    const good = [
      {
        id: 'good-svg',
        label: 'Good SVG',
        icon: `<svg ${SVG}><path d="M2 2h20v20H2z"/></svg>`,
        url,
        target: 'window'
      },
      {
        // LabIcon decodes percent escapes: today this throws and blanks
        // the whole launcher.
        id: 'percent-width',
        label: 'Percent width',
        icon: `<svg ${SVG} width="100%" height="100%">${shape}</svg>`,
        url,
        target: 'window'
      },
      {
        id: 'percent-title',
        label: 'Percent title',
        icon: `<svg ${SVG}><title>%3Cimg src="x" onerror="${pwn('percent')}"/%3E</title>${shape}</svg>`,
        url,
        target: 'window'
      },
      {
        id: 'namespace-child',
        label: 'Namespace child',
        icon: `<svg ${SVG} xmlns:html="http://www.w3.org/1999/xhtml">${shape}<html:img src="x" onerror="${pwn('html-img')}"/><g xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="${pwn('xhtml-g')}"/></g></svg>`,
        url,
        target: 'window'
      },
      {
        // `<!-->` ends a comment for the HTML parser, not for XML.
        id: 'comment-trick',
        label: 'Comment trick',
        icon: `<svg ${SVG}><!--><img src="x" onerror="${pwn('comment')}">-->${shape}</svg>`,
        url,
        target: 'window'
      },
      {
        id: 'markup-label',
        label: `<img src="x" onerror="${pwn('label')}">`,
        url,
        target: 'window'
      }
    ];
    const bad = [
      {
        id: 'ns-root',
        label: 'Bad namespace root',
        icon: `<svg xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="${pwn('ns-root')}"/></svg>`,
        url
      },
      {
        id: 'not-svg',
        label: 'Bad not an SVG',
        icon: `<img src="x" onerror="${pwn('not-svg')}">`,
        url
      },
      {
        id: 'js-url',
        label: 'Bad javascript URL',
        url: `javascript:${pwn('js')}`
      },
      { id: 'slashes', label: 'Bad two slashes', url: '//evil.example/' },
      { id: 'backslash', label: 'Bad backslash', url: '/\\evil.example/' },
      {
        id: 'placeholder',
        label: 'Bad placeholder',
        url: '{base_url}?t={token}'
      }
    ];
    // The demo's own items (demo/overrides.json): user settings replace the
    // list as a whole.
    const demo = [
      {
        id: 'course-dashboard',
        label: 'Course dashboard',
        icon: `<svg ${SVG}><path fill="#616161" d="M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z"/></svg>`,
        category: COURSE,
        groups: [COURSE],
        url: '{base_url}course-dashboard/'
      },
      {
        id: 'hub-home',
        label: 'Hub control panel',
        icon: 'ui-components:jupyter',
        url: '{hub_host}{hub_prefix}home',
        target: 'window'
      }
    ];
    try {
      await setLauncherSettings(page, {
        items: [...demo, ...good, ...bad],
        kernels: { class1234_semester02: [COURSE] }
      });

      // Every good card renders, the demo's and the kernels' included.
      for (const item of [...demo, ...good]) {
        await expect(launcherCard(page, item.label)).toHaveCount(1);
      }
      await expect(courseKernelCards(page)).toHaveCount(2);
      await expect(launcherCard(page, 'Python 3 (ipykernel)')).not.toHaveCount(
        0
      );
      // The custom icons are real SVG in the cards.
      for (const label of [
        'Good SVG',
        'Percent width',
        'Percent title',
        'Course dashboard'
      ]) {
        await expect(
          launcherCard(page, label).locator('.jp-LauncherCard-icon svg path')
        ).not.toHaveCount(0);
      }
      await expect(
        launcherCard(page, 'Good SVG').locator('.jp-LauncherCard-icon svg path')
      ).toHaveAttribute('d', 'M2 2h20v20H2z');
      // Markup in a label stays text.
      await expect(
        launcherCard(page, good[5].label).locator('.jp-LauncherCard-label')
      ).toHaveText(good[5].label);

      // The bad ones are left out, and named in a notification (no dialog).
      for (const item of bad) {
        await expect(launcherCard(page, item.label)).toHaveCount(0);
      }
      const toast = page.locator('.jp-toast-message', {
        hasText: 'left out'
      });
      await expect(toast).toBeVisible();
      for (const item of bad) {
        await expect(toast).toContainText(item.id);
        expect(warnings.join('\n')).toContain(item.id);
      }
      await expect(page.locator('.jp-Dialog')).toHaveCount(0);

      // Nothing ran: no img of the payloads became an element.
      await expect(page.locator('img[src="x"]')).toHaveCount(0);
      expect(
        await page.evaluate(() => (window as any).__pwned)
      ).toBeUndefined();
      expect(dialogs).toEqual([]);
    } finally {
      await setLauncherSettings(page, {});
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
    await expect(launcherCard(page, 'Course dashboard')).toBeVisible();
  });

  test("on vox-collab's server, only the admin's cards, and none into another server; a member's own cards never show", async ({
    openLab,
    hub
  }) => {
    // What the admin ships for vox-collab's server (hub-setup.ts gives it
    // its own overrides.json): the demo's cards, a card of the project's,
    // and two leading into other servers.
    const file = process.env.HUB_GROUPS_VOX_COLLAB_OVERRIDES!;
    const before = fs.readFileSync(file, 'utf8');
    const overrides = JSON.parse(before);
    const launcher = overrides['jupyterlab-hub-groups:launcher'];
    launcher.items = [
      ...launcher.items,
      {
        id: 'project-files',
        label: 'Project files',
        groups: ['vox'],
        url: '{base_url}tree/',
        target: 'window'
      },
      {
        id: 'vax-server',
        label: "vax's server",
        url: '/user/vax/lab',
        target: 'window'
      },
      {
        id: 'own-server',
        label: 'My own server',
        url: '{hub_prefix}user-redirect/lab',
        target: 'window'
      }
    ];
    fs.writeFileSync(file, JSON.stringify(overrides, null, 2));
    // Jupyter Server reads overrides.json when it starts.
    await hub.stopServer('vox-collab');
    await hub.startServer('vox-collab');
    let page: IJupyterLabPageFixture | null = null;
    try {
      page = await openLab('vex', { server: 'vox-collab' });
      await expect(launcherCard(page, 'Hub control panel')).toBeVisible();
      await expect(launcherCard(page, 'Project files')).toBeVisible();
      // Refused when the settings are read, and named.
      await expect(launcherCard(page, "vax's server")).toHaveCount(0);
      await expect(launcherCard(page, 'My own server')).toHaveCount(0);
      const toast = page.locator('.jp-toast-message', { hasText: 'left out' });
      await expect(toast).toContainText('vax-server');
      await expect(toast).toContainText('own-server');

      // vex writes a card into the account's own user settings, as any
      // member of the project can (they are vox-collab's settings).
      await setLauncherSettings(page, {
        items: [
          {
            id: 'member-card',
            label: 'Member card',
            url: '{base_url}tree/',
            target: 'window'
          }
        ]
      });
      await page.reload();
      // The user settings are there ...
      expect(
        await page.evaluate(async () => {
          const registry = await (window as any).galata.getPlugin(
            '@jupyterlab/apputils-extension:settings'
          );
          const settings = await registry.load(
            'jupyterlab-hub-groups:launcher'
          );
          return settings.composite.items.map((item: any) => item.id);
        })
      ).toEqual(['member-card']);
      // ... and not used: the admin's cards, not the member's.
      await expect(launcherCard(page, 'Project files')).toBeVisible();
      await expect(launcherCard(page, 'Hub control panel')).toBeVisible();
      await expect(launcherCard(page, 'Member card')).toHaveCount(0);
    } finally {
      if (page) {
        await setLauncherSettings(page, {});
      }
      fs.writeFileSync(file, before);
      await hub.stopServer('vox-collab');
    }
  });
});
