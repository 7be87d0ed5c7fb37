import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate } from '@lumino/disposable';

import { readCollaborations } from '../../collaboration/model';
import { collaborationPlugin } from '../../collaboration/plugin';
import { IHubGroups } from '../../tokens';
import { FakeGroups, FakeRequest, response } from '../fakes';

const COMMAND = 'hub-groups:open-collaboration';

let mockDialogLoads = 0;
jest.mock('../../collaboration/dialog', () => {
  mockDialogLoads++;
  return jest.requireActual('../../collaboration/dialog');
});

describe('collaborationPlugin', () => {
  let urls: string[];
  let app: JupyterFrontEnd;
  let cards: ILauncher.IItemOptions[];
  let launcher: ILauncher;
  let groups: FakeGroups;
  let startup: (value: IHubGroups.IStartup | null) => void;
  const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);
  const body = (status: string) => ({
    collaborations: [{ group: 'vox', account: 'vox-collab', status }],
    degraded: null
  });

  beforeEach(() => {
    jest.useFakeTimers();
    PageConfig.setOption('hubPrefix', '/hub/');
    urls = [];
    cards = [];
    app = {
      commands: new CommandRegistry(),
      restored: Promise.resolve(),
      serviceManager: {
        serverSettings: ServerConnection.makeSettings({
          baseUrl: 'http://localhost/user/vex/',
          fetch: ((request: FakeRequest) => {
            urls.push(request.url);
            return Promise.resolve(response(200, body('stopped')));
          }) as any,
          Request: FakeRequest as any
        })
      }
    } as unknown as JupyterFrontEnd;
    launcher = {
      add: (item: ILauncher.IItemOptions) => {
        cards.push(item);
        return new DisposableDelegate(() =>
          cards.splice(cards.indexOf(item), 1)
        );
      }
    } as ILauncher;
    groups = new FakeGroups('ready');
    groups.startup = new Promise(resolve => (startup = resolve));
  });

  afterEach(() => {
    PageConfig.setOption('hubPrefix', '');
    jest.useRealTimers();
  });

  function activate(): void {
    void collaborationPlugin.activate(
      app,
      groups,
      launcher,
      nullTranslator,
      null
    );
  }

  it('takes the cards the start-up answer carried: no request until an interval later', async () => {
    activate();
    await tick();
    expect(urls).toHaveLength(0); // waits for the start-up answer
    startup({
      manage: null,
      presence: null,
      collaborations: body('running'),
      coursesToJoin: null
    });
    await tick();
    expect(urls).toHaveLength(0);
    expect(cards.map(card => card.args)).toEqual([{ account: 'vox-collab' }]);
    expect(app.commands.label(COMMAND, { account: 'vox-collab' })).toBe(
      'Project vox · running'
    );
    // The card's dialog (and the wording of errors) is not loaded yet.
    expect(mockDialogLoads).toBe(0);
    await tick(14_999);
    expect(urls).toHaveLength(0);
    await tick(1);
    expect(urls).toHaveLength(1);
    expect(app.commands.label(COMMAND, { account: 'vox-collab' })).toBe(
      'Project vox · stopped'
    );
  });

  it('reads at once when the start-up answer carried none', async () => {
    activate();
    startup({
      manage: null,
      presence: null,
      collaborations: null,
      coursesToJoin: null
    });
    await tick();
    expect(urls).toHaveLength(1);
    expect(cards).toHaveLength(1);
  });

  it('reads at once when the start-up answer could not be read', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    activate();
    startup({
      manage: null,
      presence: null,
      collaborations: { collaborations: 'vox' },
      coursesToJoin: null
    });
    await tick();
    expect(urls).toHaveLength(1);
  });

  it('loads and asks nothing while the start-up answer says no project, until the groups change', async () => {
    activate();
    groups.answer('ready', ['c1']);
    startup({
      manage: null,
      presence: null,
      collaborations: { collaborations: [], degraded: null },
      coursesToJoin: null
    });
    await tick(60_000);
    // No project: no request, neither the cards' code nor their command.
    expect(urls).toHaveLength(0);
    expect(app.commands.hasCommand(COMMAND)).toBe(false);
    groups.answer('ready', ['c1']); // the same groups: nothing
    await tick(1_000);
    expect(urls).toHaveLength(0);
    groups.answer('ready', ['c1', 'vox']); // a project now
    for (let i = 0; i < 10 && !cards.length; i++) {
      await tick(100);
    }
    expect(urls).toHaveLength(1);
    expect(cards.map(card => card.args)).toEqual([{ account: 'vox-collab' }]);
    expect(app.commands.hasCommand(COMMAND)).toBe(true);
    const described = await app.commands.describedBy(COMMAND);
    expect(described.args?.required).toEqual(['account']);
  });

  it('shows a project of unknown state at once, saying why from the code', async () => {
    activate();
    startup({
      manage: null,
      presence: null,
      collaborations: {
        collaborations: [
          { group: 'vox', account: 'vox-collab', status: 'unknown' }
        ],
        degraded: { code: 'server-token-scopes', message: 'x' }
      },
      coursesToJoin: null
    });
    for (let i = 0; i < 10 && !cards.length; i++) {
      await tick(100);
    }
    expect(urls).toHaveLength(0);
    expect(cards).toHaveLength(1);
    expect(app.commands.caption(COMMAND, { account: 'vox-collab' })).toContain(
      "may not see the shared servers' state"
    );
  });
});

describe('readCollaborations', () => {
  it('refuses a body without a list, and keeps what it knows of one', () => {
    expect(() => readCollaborations({ degraded: 'x' })).toThrow(
      expect.objectContaining({ code: 'bad-answer' })
    );
    expect(
      readCollaborations({
        collaborations: [
          { group: 'vox', account: 'vox-collab', status: 'exploding' },
          { group: 'mighty' }
        ],
        degraded: 'a sentence without a code'
      })
    ).toEqual({
      collaborations: [
        { group: 'vox', account: 'vox-collab', status: 'unknown' }
      ],
      degraded: null
    });
  });
});
