import { JupyterFrontEnd } from '@jupyterlab/application';
import { ServerConnection } from '@jupyterlab/services';
import { IStatusBar } from '@jupyterlab/statusbar';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { readPresence } from '../../presence/model';
import { presencePlugin } from '../../presence/plugin';
import { IHubGroups } from '../../tokens';
import { FakeGroups, FakeRequest, response } from '../fakes';

// An ES module jest does not transform; the plugin needs its token only.
jest.mock('@jupyter/collaborative-drive', () => ({
  IGlobalAwareness: 'IGlobalAwareness'
}));

const person = (name: string) => ({
  name,
  display_name: name,
  current: null,
  last_seen: new Date().toISOString()
});

describe('presencePlugin', () => {
  let requests: Array<{ method: string; body: unknown }>;
  let app: JupyterFrontEnd;
  let shell: { add: jest.Mock; currentWidget: any };
  let statusBar: { registerStatusItem: jest.Mock };
  let labShell: { currentChanged: Signal<any, void> };
  let groups: FakeGroups;
  let startup: (value: IHubGroups.IStartup | null) => void;
  const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers();
    requests = [];
    const left = new Panel();
    shell = {
      add: jest.fn((widget: Widget) => left.addWidget(widget)),
      currentWidget: { context: { path: 'a.ipynb' } }
    };
    app = {
      restored: Promise.resolve(),
      shell: {
        ...shell,
        widgets: () => [][Symbol.iterator](),
        activateById: jest.fn()
      },
      serviceManager: {
        serverSettings: ServerConnection.makeSettings({
          baseUrl: 'http://localhost/user/vox-collab/',
          fetch: ((request: FakeRequest) => {
            requests.push({
              method: request.init?.method ?? 'GET',
              body: request.init?.body && JSON.parse(request.init.body)
            });
            return Promise.resolve(
              response(200, {
                me: 'vex',
                shared: true,
                people: [person('vex'), person('vax')]
              })
            );
          }) as any,
          Request: FakeRequest as any
        })
      }
    } as unknown as JupyterFrontEnd;
    (app.shell as any).add = shell.add;
    statusBar = { registerStatusItem: jest.fn() };
    labShell = { currentChanged: new Signal<any, void>({}) };
    groups = new FakeGroups('ready');
    groups.startup = new Promise(resolve => (startup = resolve));
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  function activate(withGroups: IHubGroups | null = groups): void {
    void presencePlugin.activate(
      app,
      nullTranslator,
      labShell,
      statusBar as unknown as IStatusBar,
      null,
      null,
      withGroups
    );
  }

  it('takes the list the start-up answer carried: no request until an interval later', async () => {
    activate();
    await tick();
    expect(requests).toHaveLength(0); // waits for the start-up answer
    startup({
      manage: null,
      presence: { me: 'vex', shared: true, people: [person('vex')] },
      collaborations: null,
      coursesToJoin: null
    });
    await tick();
    expect(requests).toHaveLength(0);
    // Shown at once (a shared server): the list and the count.
    expect(shell.add).toHaveBeenCalledTimes(1);
    expect(statusBar.registerStatusItem).toHaveBeenCalledTimes(1);
    await tick(9_999);
    expect(requests).toHaveLength(0);
    await tick(1);
    // The first read tells what this user has open.
    expect(requests).toEqual([
      { method: 'POST', body: { current: 'a.ipynb' } }
    ]);
  });

  it('reads at once when the start-up answer carried no list', async () => {
    activate();
    startup(null);
    await tick();
    expect(requests).toHaveLength(1);
  });

  it('reads at once without the groups service', async () => {
    activate(null);
    await tick();
    expect(requests).toHaveLength(1);
  });

  it('loads and places nothing while there is nothing to show', async () => {
    activate();
    startup({
      manage: null,
      presence: { me: 'vex', shared: false, people: [person('vex')] },
      collaborations: null,
      coursesToJoin: null
    });
    await tick();
    expect(shell.add).not.toHaveBeenCalled();
    expect(statusBar.registerStatusItem).not.toHaveBeenCalled();
    // vax comes: shown, once.
    await tick(10_000);
    await tick(10_000);
    expect(shell.add).toHaveBeenCalledTimes(1);
    expect(statusBar.registerStatusItem).toHaveBeenCalledTimes(1);
  });

  it('tells the server when this user opens another document, once started', async () => {
    activate();
    shell.currentWidget = { context: { path: 'b.ipynb' } };
    (app.shell as any).currentWidget = shell.currentWidget;
    labShell.currentChanged.emit();
    await tick();
    expect(requests).toHaveLength(0); // not started yet: nothing asked
    startup(null);
    await tick();
    expect(requests).toEqual([
      { method: 'POST', body: { current: 'b.ipynb' } }
    ]);
    (app.shell as any).currentWidget = { context: { path: 'c.ipynb' } };
    labShell.currentChanged.emit();
    await tick();
    expect(requests[1]).toEqual({
      method: 'POST',
      body: { current: 'c.ipynb' }
    });
  });
});

describe('readPresence', () => {
  it('refuses a body without a list of people', () => {
    for (const body of [null, {}, { people: 'vex' }]) {
      expect(() => readPresence(body)).toThrow(
        expect.objectContaining({ code: 'bad-answer' })
      );
    }
  });

  it('reads the people, who asks and whether the server is shared', () => {
    expect(
      readPresence({
        me: 'vex',
        shared: true,
        people: [{ name: 'vax', display_name: '' }, { display_name: 'no' }]
      })
    ).toEqual({
      me: 'vex',
      shared: true,
      people: [
        {
          name: 'vax',
          displayName: 'vax',
          current: null,
          lastSeen: expect.any(Date)
        }
      ]
    });
  });
});
