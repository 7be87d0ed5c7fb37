import { Dialog } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import {
  acceptDialog,
  dismissDialog,
  waitForDialog
} from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { IRestartEnvironment, restartServer } from '../../common/restart';
import { response } from '../fakes';

const trans = nullTranslator.load('jupyterlab_hub_groups');

/** The page of mmuster's own server under a hub at /hub/. */
function onOwnServer(user = 'mmuster', owner = 'mmuster'): void {
  PageConfig.setOption('hubPrefix', '/hub/');
  PageConfig.setOption('hubHost', '');
  PageConfig.setOption('hubUser', user);
  PageConfig.setOption('hubServerUser', owner);
  PageConfig.setOption('baseUrl', `/user/${owner}/`);
  PageConfig.setOption('token', 'page-token');
}

/**
 * The browser, as the restart sees it: the hub's answer to the stop, then
 * the server's `api` answers while it is still going.
 */
class FakeBrowser implements IRestartEnvironment {
  constructor(
    private _stop: any,
    private _stillUp = 0
  ) {}

  calls: Array<{ url: string; init: RequestInit }> = [];
  went: string[] = [];
  pauses = 0;

  go(url: string): void {
    this.went.push(url);
  }

  async fetch(url: string, init: RequestInit): Promise<Response> {
    this.calls.push({ url, init });
    if (url.startsWith('/hub/api/')) {
      return this._stop;
    }
    if (this._stillUp > 0) {
      this._stillUp--;
      return response(200, { version: '2.14.0' });
    }
    return response(424, '<html>not running</html>');
  }

  async pause(): Promise<void> {
    this.pauses++;
  }
}

describe('restartServer', () => {
  let commands: CommandRegistry;
  let saved: string[];

  beforeEach(() => {
    onOwnServer();
    saved = [];
    commands = new CommandRegistry();
    commands.addCommand('docmanager:save-all', {
      execute: () => {
        saved.push('all');
      }
    });
  });

  afterEach(async () => {
    Dialog.flush();
  });

  it('saves, stops the server with the page token, then hands over to the hub to start it', async () => {
    const browser = new FakeBrowser(response(204, null));
    const done = restartServer({ trans, commands, environment: browser });
    await waitForDialog();
    expect(document.body.textContent).toContain('Restart your server?');
    await acceptDialog();
    await expect(done).resolves.toBe(true);
    expect(saved).toEqual(['all']);
    expect(browser.calls).toHaveLength(1);
    const [stop] = browser.calls;
    expect(stop.url).toBe('/hub/api/users/mmuster/server');
    expect(stop.init.method).toBe('DELETE');
    expect((stop.init.headers as any).Authorization).toBe('token page-token');
    expect(stop.init.credentials).toBe('omit');
    const here = window.location.pathname + window.location.search;
    expect(browser.went).toEqual([
      `/hub/spawn/mmuster?next=${encodeURIComponent(here)}`
    ]);
  });

  it('waits for a stop the hub accepted but did not finish (202)', async () => {
    const browser = new FakeBrowser(response(202, null), 2);
    const done = restartServer({ trans, commands, environment: browser });
    await acceptDialog();
    await expect(done).resolves.toBe(true);
    // the server's own api, asked until it no longer answers
    const api = `${window.location.origin}/user/mmuster/api`;
    expect(browser.calls.map(c => c.url)).toEqual([
      '/hub/api/users/mmuster/server',
      api,
      api,
      api
    ]);
    expect(browser.calls[1].init.credentials).toBe('same-origin');
    expect(browser.pauses).toBe(2);
    expect(browser.went).toHaveLength(1);
  });

  it('does nothing when the user cancels', async () => {
    const browser = new FakeBrowser(response(204, null));
    const done = restartServer({ trans, commands, environment: browser });
    await dismissDialog();
    await expect(done).resolves.toBe(false);
    expect(browser.calls).toEqual([]);
    expect(saved).toEqual([]);
    expect(browser.went).toEqual([]);
  });

  it('says what to do when the page may not stop the server (a server started before)', async () => {
    const browser = new FakeBrowser(
      response(403, { status: 403, message: 'Action is not authorized' })
    );
    const done = restartServer({ trans, commands, environment: browser });
    await acceptDialog();
    await waitForDialog();
    expect(document.body.textContent).toContain('Cannot restart your server');
    expect(document.body.textContent).toContain('Hub Control Panel');
    await dismissDialog();
    await expect(done).resolves.toBe(false);
    expect(browser.went).toEqual([]);
  });

  it('says so when the hub is down, and leaves the page where it is', async () => {
    const browser = new FakeBrowser(response(502, '<html>bad gateway</html>'));
    const done = restartServer({ trans, commands, environment: browser });
    await acceptDialog();
    await waitForDialog();
    expect(document.body.textContent).toContain('Cannot restart your server');
    await dismissDialog();
    await expect(done).resolves.toBe(false);
    expect(browser.went).toEqual([]);
  });

  it("never restarts someone else's server, nor outside a hub", async () => {
    for (const setUp of [
      () => onOwnServer('vex', 'vox-collab'),
      () => PageConfig.setOption('hubPrefix', '')
    ]) {
      onOwnServer();
      setUp();
      const browser = new FakeBrowser(response(204, null));
      await expect(
        restartServer({ trans, commands, environment: browser })
      ).resolves.toBe(false);
      expect(document.querySelector('.jp-Dialog')).toBeNull();
      expect(browser.calls).toEqual([]);
    }
  });

  it('names a user with odd characters safely in both URLs', async () => {
    onOwnServer('a b/c', 'a b/c');
    const browser = new FakeBrowser(response(204, null));
    const done = restartServer({ trans, commands, environment: browser });
    await acceptDialog();
    await done;
    expect(browser.calls[0].url).toBe('/hub/api/users/a%20b%2Fc/server');
    expect(browser.went[0]).toMatch(/^\/hub\/spawn\/a%20b%2Fc\?next=/);
  });
});
