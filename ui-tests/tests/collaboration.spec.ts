/**
 * Real-time collaboration where the hub helper turns it on (collaboration
 * accounts' servers), and nowhere else.
 */
import { expect, test } from './fixtures';

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
