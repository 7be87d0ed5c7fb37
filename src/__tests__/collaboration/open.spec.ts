import { Notification } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { dismissDialog, framePromise } from '@jupyterlab/testing';
import { Gettext, nullTranslator } from '@jupyterlab/translation';

import { CollaborationsModel } from '../../collaboration/model';
import { openWhenRunning } from '../../collaboration/open';
import { FakeRequest, response } from '../fakes';

/** A browser tab as `window.open` gives it, without a browser. */
class FakeTab {
  opener: unknown = window;
  closed = false;
  readonly location = { href: 'about:blank' };
  readonly document = document.implementation.createHTMLDocument('');
  close(): void {
    this.closed = true;
  }
}

describe('openWhenRunning', () => {
  const LAB = '/user/vox-collab/lab';
  const vox = {
    group: 'vox',
    account: 'vox-collab',
    status: 'stopped' as const
  };
  const list = (status: string) => () =>
    response(200, { collaborations: [{ ...vox, status }], degraded: null });
  let answers: Array<() => any>;
  let requests: FakeRequest[];
  let events: string[];
  let model: CollaborationsModel;
  let tab: FakeTab | null;
  let opened: unknown[][];

  beforeEach(() => {
    answers = [];
    requests = [];
    events = [];
    opened = [];
    tab = new FakeTab();
    model = new CollaborationsModel({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost/user/vex/',
        fetch: ((request: FakeRequest) => {
          requests.push(request);
          events.push(`request ${new URL(request.url).pathname}`);
          const next = answers.shift();
          return next
            ? Promise.resolve(next())
            : Promise.reject(new TypeError('offline'));
        }) as any,
        Request: FakeRequest as any
      }),
      auto: false
    });
    jest.spyOn(window, 'open').mockImplementation((...args: unknown[]) => {
      opened.push(args);
      events.push('tab');
      return tab as any;
    });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    Notification.dismiss();
  });

  afterEach(() => {
    model.dispose();
    jest.restoreAllMocks();
  });

  const every = { every: 1 };
  const waitFast = () => {
    const wait = model.whenRunning.bind(model);
    jest
      .spyOn(model, 'whenRunning')
      .mockImplementation(account => wait(account, every));
  };

  it('starts through this server, opens a tab at once, and sends it to JupyterLab once running', async () => {
    waitFast();
    answers.push(
      () => response(200, { account: 'vox-collab', status: 'starting' }),
      list('starting'),
      list('starting'),
      list('running')
    );
    const trans = nullTranslator.load('jupyterlab_hub_groups');
    const done = openWhenRunning(vox, model, LAB, trans, true);
    // The tab is opened within the click, before any request.
    expect(events[0]).toBe('tab');
    expect(tab!.opener).toBeNull();
    expect(tab!.document.body.textContent).toBe(
      'Starting the shared server of project vox…'
    );
    expect(tab!.location.href).toBe('about:blank');
    await expect(done).resolves.toBe(true);
    expect(tab!.location.href).toBe(LAB);
    expect(events[1]).toBe(
      'request /user/vex/hub-groups/api/collaborations/vox-collab/start'
    );
    expect(opened).toHaveLength(1);
    // Nothing of the hub's spawn pages, anywhere.
    const everything = JSON.stringify([opened, requests.map(r => r.url)]);
    expect(everything).not.toContain('spawn');
    const [note] = Notification.manager.notifications;
    expect(note.type).toBe('success');
    expect(note.message).toBe('The shared server of project vox is running.');
  });

  it('follows a server already starting without starting it again', async () => {
    waitFast();
    answers.push(list('starting'));
    await model.refresh();
    answers.push(list('running'));
    const trans = nullTranslator.load('jupyterlab_hub_groups');
    const starting = { ...vox, status: 'starting' as const };
    await expect(
      openWhenRunning(starting, model, LAB, trans, false)
    ).resolves.toBe(true);
    expect(requests.map(r => r.init.method ?? 'GET')).toEqual(['GET', 'GET']);
    expect(tab!.location.href).toBe(LAB);
  });

  it('offers to open it from the notification when the tab was blocked', async () => {
    waitFast();
    tab = null;
    answers.push(
      () => response(200, { account: 'vox-collab', status: 'running' }),
      list('running')
    );
    const trans = nullTranslator.load('jupyterlab_hub_groups');
    await expect(openWhenRunning(vox, model, LAB, trans, true)).resolves.toBe(
      false
    );
    const [note] = Notification.manager.notifications;
    expect(note.options.autoClose).toBe(false);
    const [action] = note.options.actions!;
    expect(action.label).toBe('Open');
    action.callback(new MouseEvent('click'));
    expect(opened[opened.length - 1]).toEqual([LAB, '_blank', 'noopener']);
  });

  it('closes the tab and says why, in its own words, when the start is refused', async () => {
    answers.push(() =>
      response(403, { error: 'hub-refused', message: 'SERVER SENTENCE' })
    );
    const trans = new Gettext({ stringsPrefix: '¶' });
    const done = openWhenRunning(vox, model, LAB, trans, true);
    for (
      let frame = 0;
      frame < 100 &&
      !document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent;
      frame++
    ) {
      await framePromise();
    }
    const dialog = document.querySelector('.jp-Dialog')!;
    expect(dialog.querySelector('.jp-Dialog-header')!.textContent).toBe(
      '¶Cannot start the shared server of vox'
    );
    const body = dialog.querySelector('.jp-Dialog-body')!.textContent!;
    expect(body).toMatch(/^¶JupyterHub does not let your server start it/);
    expect(body).not.toContain('SERVER SENTENCE');
    await dismissDialog();
    await expect(done).resolves.toBe(false);
    expect(tab!.closed).toBe(true);
    expect(tab!.location.href).toBe('about:blank');
    expect(Notification.manager.notifications).toHaveLength(0);
  });

  it('says a server still stopping did not start', async () => {
    answers.push(
      () => response(200, { account: 'vox-collab', status: 'stopping' }),
      list('stopping')
    );
    const trans = nullTranslator.load('jupyterlab_hub_groups');
    const done = openWhenRunning(vox, model, LAB, trans, true);
    for (
      let frame = 0;
      frame < 100 && !document.querySelector('.jp-Dialog-body')?.textContent;
      frame++
    ) {
      await framePromise();
    }
    expect(document.querySelector('.jp-Dialog-body')!.textContent).toBe(
      'It is still stopping. Try again in a moment.'
    );
    await dismissDialog();
    await expect(done).resolves.toBe(false);
    expect(tab!.closed).toBe(true);
  });
});
