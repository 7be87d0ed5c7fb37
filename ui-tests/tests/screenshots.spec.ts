/**
 * The README's pictures, taken from the real demo UI during `make test`:
 * each test opens JupyterLab as a demo user, brings the part of the UI to a
 * known state, and writes a PNG of that element (not of the whole page)
 * into the project's `docs/`. Light theme, a fixed window size, and what
 * changes from run to run (clocks) masked, so that the pictures change only
 * when the UI does.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  expect,
  expectPicture,
  HIDE_TOASTS,
  picture,
  preparePicture,
  showMyHubGroups,
  test
} from './fixtures';

const VIEWPORT = { width: 1280, height: 800 };

/** A launcher section, by its title. */
function launcherSection(page: IJupyterLabPageFixture, title: string): Locator {
  return page.locator('.jp-Launcher-section', {
    has: page.locator('.jp-Launcher-sectionTitle', { hasText: title })
  });
}

test.describe('README pictures', () => {
  test("docs/student-launcher.png: mmuster's launcher with the course's dashboard and kernel", async ({
    openLab
  }) => {
    const since = Date.now();
    const page = await openLab('mmuster');
    // Tall enough for the whole launcher, the course's section last.
    await preparePicture(page, {
      viewport: { width: 1100, height: 1150 },
      blur: true
    });
    // More room for the launcher: the file browser closed.
    await page.sidebar.close('left');
    const content = page.locator('.jp-Launcher-content').first();
    await expect(
      content.locator('.jp-LauncherCard', { hasText: 'Course dashboard' })
    ).toBeVisible();
    await expect(
      launcherSection(page, 'Notebook').locator('.jp-LauncherCard', {
        hasText: 'Python 3 (Class 1234)'
      })
    ).toBeVisible();
    // Kernel icons are images: wait until each has loaded.
    await expect
      .poll(() =>
        content
          .locator('img')
          .evaluateAll(images =>
            images.every(image => (image as HTMLImageElement).complete)
          )
      )
      .toBe(true);
    // The launcher's content, down to its last section (the content
    // itself fills the window).
    const box = await content.boundingBox();
    const last = await content
      .locator('.jp-Launcher-section')
      .last()
      .boundingBox();
    const file = picture('student-launcher.png');
    await page.screenshot({
      path: file,
      clip: {
        x: box!.x,
        y: box!.y,
        width: box!.width,
        height: last!.y + last!.height + 16 - box!.y
      },
      animations: 'disabled',
      style: HIDE_TOASTS
    });
    expectPicture(file, since, 600, 400);
  });

  test("docs/collaboration-card.png: vex's Collaboration section, vox-collab running", async ({
    openLab,
    hub
  }) => {
    const since = Date.now();
    await hub.startServer('vox-collab');
    try {
      const page = await openLab('vex');
      await preparePicture(page, { viewport: VIEWPORT, blur: true });
      const section = launcherSection(page, 'Collaboration');
      // the file's project, and New Project… (the demo lets anyone make one)
      await expect(section.locator('.jp-LauncherCard')).toHaveText([
        'Project vox · running',
        'New Project…'
      ]);
      await expect(
        section.locator(
          '.jp-LauncherCard .jp-HubGroupsCollaboration-status.jp-mod-running'
        )
      ).toBeVisible();
      const file = picture('collaboration-card.png');
      await section.screenshot({
        path: file,
        animations: 'disabled',
        style: HIDE_TOASTS
      });
      expectPicture(file, since, 200, 120);
    } finally {
      await hub.stopServer('vox-collab');
    }
  });

  test('docs/people-here.png: vex and vax on vox-collab, in the Collaboration panel', async ({
    openLab,
    hub
  }) => {
    const since = Date.now();
    await hub.startServer('vox-collab');
    try {
      const vex = await openLab('vex', { server: 'vox-collab' });
      const vax = await openLab('vax', { server: 'vox-collab' });
      // vax has a notebook open: the list says which. Made under its own
      // name (a rename reaches the list only later) and written over on
      // a retry.
      await vax.evaluate(async () => {
        const app = (window as any).jupyterapp;
        await app.serviceManager.contents.save('analysis.ipynb', {
          type: 'notebook',
          format: 'json',
          content: {
            cells: [],
            metadata: {
              kernelspec: {
                name: 'python3',
                display_name: 'Python 3 (ipykernel)',
                language: 'python'
              }
            },
            nbformat: 4,
            nbformat_minor: 5
          }
        });
        await app.commands.execute('docmanager:open', {
          path: 'analysis.ipynb'
        });
      });
      await expect(vax.locator('.jp-NotebookPanel')).toBeVisible();
      await preparePicture(vex, { viewport: VIEWPORT, blur: true });
      await vex.sidebar.openTab('jp-collaboration-panel');
      const panel = vex.locator('#jp-collaboration-panel');
      const list = panel.locator('#jp-hub-groups-presence');
      await expect(
        list.locator('.jp-HubGroupsPresence-person', { hasText: 'vax' })
      ).toContainText('analysis.ipynb', { timeout: 30_000 });
      await expect(
        list.locator('.jp-HubGroupsPresence-person', { hasText: 'vex (you)' })
      ).toHaveCount(1);
      // jupyter-collaboration's own sections draw each user in a colour
      // chosen at random per session: folded, their titles stay.
      for (const title of ['User info', 'Online Collaborators']) {
        const header = panel.locator('.lm-AccordionPanel-title', {
          hasText: title
        });
        if ((await header.getAttribute('aria-expanded')) === 'true') {
          await header.click();
        }
        await expect(header).toHaveAttribute('aria-expanded', 'false');
      }
      await vex.mouse.move(0, 0);
      await expect(list).toBeVisible();

      // The side bar's tabs and the panel, down to the end of our list.
      const tabs = await vex.locator('.jp-SideBar.jp-mod-left').boundingBox();
      const box = await panel.boundingBox();
      const end = await list
        .locator('.jp-HubGroupsPresence-list')
        .boundingBox();
      const clip = {
        x: tabs!.x,
        y: box!.y,
        width: box!.x + box!.width - tabs!.x,
        height:
          Math.min(end!.y + end!.height + 16, box!.y + box!.height) - box!.y
      };
      const file = picture('people-here.png');
      await vex.screenshot({
        path: file,
        clip,
        animations: 'disabled',
        style: HIDE_TOASTS,
        // "active 3 seconds ago" differs on every run.
        mask: [list.locator('.jp-HubGroupsPresence-seen')],
        maskColor: '#eeeeee'
      });
      expectPicture(file, since, 250, 150);
    } finally {
      await hub.stopServer('vox-collab');
    }
  });

  test('docs/groups-report.png: "Show My Hub Groups" with many groups, filtered', async ({
    openLab,
    hub
  }) => {
    const since = Date.now();
    const names = Array.from(
      { length: 40 },
      (_, i) => `team-${String(i + 1).padStart(2, '0')}`
    );
    const removeGroups = await hub.makeGroups(names, 'beau');
    try {
      const page = await openLab('beau');
      await preparePicture(page, { viewport: VIEWPORT, blur: true });
      const dialog = await showMyHubGroups(page);
      const count = dialog.locator('.jp-HubGroupsReport-count');
      // 40 groups and beau's project, mighty.
      await expect(async () => {
        await page.evaluate(() => window.dispatchEvent(new Event('focus')));
        await expect(count).toHaveText('41 groups', { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
      await dialog
        .getByRole('searchbox', { name: 'Filter groups by name' })
        .fill('team-1');
      await expect(count).toHaveText('10 of 41 shown');
      await page.mouse.move(0, 0);
      const file = picture('groups-report.png');
      await dialog.locator('.jp-Dialog-content').screenshot({
        path: file,
        animations: 'disabled',
        caret: 'hide',
        style: HIDE_TOASTS,
        // The time of the last refresh differs on every run.
        mask: [dialog.locator('[data-field="last-refresh"]')],
        maskColor: '#eeeeee'
      });
      expectPicture(file, since, 300, 200);
    } finally {
      await removeGroups();
    }
  });
});
