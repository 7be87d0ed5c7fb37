/**
 * Real-time collaboration where the hub helper turns it on (collaboration
 * accounts' servers), and nowhere else.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  browserPage,
  expect,
  focusWindow,
  reportedGroups,
  showMyHubGroups,
  test
} from './fixtures';

test.describe('personal servers', () => {
  test('have no collaboration, and notebooks still open, run and save', async ({
    openLab
  }) => {
    const page = await openLab('vex');
    const sockets: string[] = [];
    page.on('websocket', ws => sockets.push(ws.url()));

    const name = `personal-${Date.now()}.ipynb`;
    await page.notebook.createNew(name);
    await page.notebook.setCell(0, 'code', 'print(6 * 7)');
    await page.notebook.run();
    await expect(
      page.locator('.jp-NotebookPanel .jp-OutputArea-output').first()
    ).toContainText('42');
    await page.notebook.save();
    await expect(page.locator('.jp-mod-dirty')).toHaveCount(0);
    await expect(
      page.locator('.jp-DirListing-item', { hasText: name })
    ).toBeVisible();

    expect(sockets.some(url => url.includes('/api/kernels/'))).toBe(true);
    expect(sockets.filter(url => url.includes('/api/collaboration/'))).toEqual(
      []
    );
    await expect(page.locator('#jp-collaboration-panel')).toHaveCount(0);
  });
});

test.describe('collaboration servers', () => {
  test("two members edit one notebook on vox-collab's server and see each other", async ({
    openLab,
    hub
  }) => {
    await hub.startServer('vox-collab');
    try {
      const vex = await openLab('vex', { server: 'vox-collab' });
      const vax = await openLab('vax', { server: 'vox-collab' });
      const rooms: string[] = [];
      vax.on('websocket', ws => rooms.push(ws.url()));

      const name = `shared-${Date.now()}.ipynb`;
      await vex.notebook.createNew(name);
      await vex.notebook.setCell(0, 'code', 'print("written by vex")');

      await vax.filebrowser.refresh();
      await vax.filebrowser.open(name);
      await expect(
        vax.locator('.jp-NotebookPanel .jp-Cell').first()
      ).toContainText('written by vex');
      expect(rooms.some(url => url.includes('/api/collaboration/room/'))).toBe(
        true
      );

      // Each sees the other by hub name in the collaboration panel.
      await vax.sidebar.openTab('jp-collaboration-panel');
      await expect(
        vax.locator('#jp-collaboration-panel .jp-CollaboratorHeader')
      ).toContainText(['vex']);
      await vex.sidebar.openTab('jp-collaboration-panel');
      await expect(
        vex.locator('#jp-collaboration-panel .jp-CollaboratorHeader')
      ).toContainText(['vax']);
    } finally {
      await hub.stopServer('vox-collab');
    }
  });
});

test.describe('collaboration cards', () => {
  test('vex starts vox-collab from the launcher into its JupyterLab (no hub spawn page), which names project vox; opens and stops it, the card shows its state; fjord sees only mighty', async ({
    openLab,
    hub
  }) => {
    await hub.stopServer('vox-collab');
    const vex = await openLab('vex');
    // The projects' cards (not New Project…, in the same section).
    const cards = vex
      .locator(
        '.jp-Launcher-body .jp-LauncherCard[data-category="Collaboration"]'
      )
      .filter({ hasText: /^Project / });
    // The card says what it is and its state, on the card itself.
    await expect(cards).toHaveText(['Project vox · stopped']);
    const vox = cards.filter({ hasText: 'Project vox' });
    await expect(vox).toHaveAttribute('title', /vox-collab\): stopped/);
    await expect(badge(vox)).toHaveClass(/jp-mod-stopped/);
    const dialog = vex.locator('.jp-Dialog');
    // A reload would lose this marker: the card changes in the open page.
    await vex.evaluate(() => ((window as any).__sameDocument = true));

    try {
      // Start: from JupyterLab, never a hub page of the account's; a tab
      // opened at once goes to the server's JupyterLab once it runs.
      await vox.click();
      const [lab] = await Promise.all([
        vex.context().waitForEvent('page'),
        dialog.getByRole('button', { name: 'Start' }).click()
      ]);
      const visited: string[] = [];
      lab.on('framenavigated', frame => {
        if (frame === lab.mainFrame()) {
          visited.push(frame.url());
        }
      });
      await expect(lab.getByRole('status')).toHaveText(
        'Starting the shared server of project vox…'
      );
      // The card follows the state meanwhile, in the open page.
      await expect(vox).toHaveText('Project vox · running', {
        timeout: 60_000
      });
      await lab.waitForURL(url =>
        /\/user\/vox-collab\/|oauth2\/authorize/.test(url.pathname)
      );
      // JupyterHub asks each member once whether to let the server know
      // who they are (its own rule for servers not one's own).
      if (lab.url().includes('oauth2/authorize')) {
        await lab.getByRole('button', { name: /authorize/i }).click();
      }
      await lab.waitForURL(url =>
        url.pathname.startsWith('/user/vox-collab/lab')
      );
      await expect(lab.locator('#jp-main-dock-panel')).toBeVisible({
        timeout: 60_000
      });
      expect(visited.filter(url => url.includes('/hub/spawn'))).toEqual([]);
      expect(await lab.evaluate(() => window.opener)).toBeNull();
      // Where one is: the project's name in the top bar, the account in
      // its tooltip, reachable with the keyboard.
      const project = lab.locator('#jp-top-panel .jp-HubGroupsProject');
      await expect(project).toHaveText('Project vox', { timeout: 30_000 });
      await expect(project).toHaveAttribute('title', /vox-collab/);
      await project.focus();
      await expect(project).toBeFocused();
      await lab.close();

      await expect(vox).toHaveAttribute('title', /: running/);
      await expect(badge(vox)).toHaveClass(/jp-mod-running/);
      // The badge is drawn, in the theme's colour for "running".
      expect(await badgeColour(vox)).toEqual(
        await themeColour(vex, '--jp-success-color1')
      );
      // Not on the section's header icon, which is no project's state.
      expect(
        await vex
          .locator('.jp-Launcher-section', {
            has: vex.locator('.jp-LauncherCard[data-category="Collaboration"]')
          })
          .locator(
            '.jp-Launcher-sectionHeader .jp-HubGroupsCollaboration-status'
          )
          .evaluate(node => getComputedStyle(node, '::after').content)
      ).toBe('none');
      expect(await vex.evaluate(() => (window as any).__sameDocument)).toBe(
        true
      );

      // Open: the running server, in a new tab.
      await vox.click();
      const [again] = await Promise.all([
        vex.context().waitForEvent('page'),
        dialog.getByRole('button', { name: 'Open' }).click()
      ]);
      await again.waitForURL(url =>
        url.pathname.startsWith('/user/vox-collab/lab')
      );
      await again.close();

      // Stop, from the card, with the keyboard (the card is a button).
      await vox.focus();
      await vex.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Stop' }).click();
      await expect(vox).toHaveText(/^Project vox · (stopping|stopped)$/);
      await expect(vox).toHaveAttribute('title', /: (stopping|stopped)/);
      await expect
        .poll(() => serverOf(hub), { timeout: 60_000 })
        .toBe('stopped');
      await expect(vox).toHaveText('Project vox · stopped', {
        timeout: 45_000
      });
      await expect(badge(vox)).toHaveClass(/jp-mod-stopped/);
    } finally {
      await hub.stopServer('vox-collab');
    }

    const fjord = await openLab('fjord');
    await expect(
      fjord
        .locator(
          '.jp-Launcher-body .jp-LauncherCard[data-category="Collaboration"]'
        )
        .filter({ hasText: /^Project / })
    ).toHaveText([/^Project mighty · /]);
  });
});

test.describe('a project joined while one’s server runs', () => {
  test("vex added to mighty: no card (his server's token may not see mighty-collab), and his report names mighty and says a restart brings it", async ({
    openLab,
    hub
  }) => {
    const vex = await openLab('vex');
    // The projects' cards (not New Project…, in the same section).
    const cards = vex
      .locator(
        '.jp-Launcher-body .jp-LauncherCard[data-category="Collaboration"]'
      )
      .filter({ hasText: /^Project / });
    await expect(cards).toHaveText([/^Project vox · /]);
    try {
      await hub.addToGroup('mighty', 'vex');
      const dialog = await showMyHubGroups(vex);
      await expect(async () => {
        await focusWindow(vex);
        await expect(reportedGroups(dialog)).toHaveText(['mighty', 'vox'], {
          timeout: 1_000
        });
      }).toPass({ timeout: 30_000 });
      const joined = dialog.locator('[data-field="joined-since-start"]');
      await expect(joined.locator('li')).toHaveText(['mighty']);
      await expect(joined.locator('li')).toHaveAttribute('dir', 'auto');
      await expect(joined).toContainText("a project's shared server");
      await expect(joined).toContainText('Restart your server');
      await browserPage(vex).keyboard.press('Escape');
      // The cards were read again for the new groups: still vox's only.
      await expect(cards).toHaveText([/^Project vox · /]);
    } finally {
      await hub.removeFromGroup('mighty', 'vex');
    }
  });
});

/** The state badge on a card's icon. */
function badge(card: Locator): Locator {
  return card.locator(
    '.jp-LauncherCard-icon .jp-HubGroupsCollaboration-status'
  );
}

/** The colour the badge is drawn in. */
function badgeColour(card: Locator): Promise<string> {
  return badge(card).evaluate(
    node => getComputedStyle(node, '::after').backgroundColor
  );
}

/** A theme colour, as the browser computes it. */
function themeColour(
  page: IJupyterLabPageFixture,
  variable: string
): Promise<string> {
  return page.evaluate(variable => {
    const probe = document.createElement('div');
    probe.style.backgroundColor = `var(${variable})`;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  }, variable);
}

async function serverOf(hub: { url: string }): Promise<string> {
  const response = await fetch(`${hub.url}/hub/api/users/vox-collab`, {
    headers: { Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}` }
  });
  const model = await response.json();
  return model.servers?.[''] ? 'running' : 'stopped';
}
