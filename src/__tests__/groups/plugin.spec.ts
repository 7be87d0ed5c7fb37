import { JupyterFrontEnd } from '@jupyterlab/application';
import { ServerConnection } from '@jupyterlab/services';
import { dismissDialog, framePromise } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { groupsPlugin } from '../../groups/plugin';
import { IHubGroups } from '../../tokens';

let mockLoads = 0;
jest.mock('../../groups/report', () => {
  mockLoads++;
  return jest.requireActual('../../groups/report');
});

describe('groupsPlugin', () => {
  let commands: CommandRegistry;
  let groups: IHubGroups;
  let requests: number;

  beforeEach(() => {
    requests = 0;
    commands = new CommandRegistry();
    const app = {
      commands,
      serviceManager: {
        serverSettings: ServerConnection.makeSettings({
          fetch: (() => {
            requests++;
            return Promise.reject(new TypeError('offline'));
          }) as any
        })
      }
    } as unknown as JupyterFrontEnd;
    // Outside a hub (no hubPrefix in PageConfig): no request at all.
    groups = groupsPlugin.activate(
      app,
      null,
      null,
      nullTranslator
    ) as IHubGroups;
  });

  it('has "Refresh Hub Groups" disabled outside a hub (nothing to ask)', async () => {
    await expect(groups.ready).resolves.toBeUndefined();
    expect(groups.status).toBe('absent');
    expect(commands.isEnabled('hub-groups:refresh-groups')).toBe(false);
  });

  it('loads the report only when "Show My Hub Groups" runs', async () => {
    await framePromise();
    expect(mockLoads).toBe(0);
    expect(requests).toBe(0);
    await expect(groups.startup).resolves.toBeNull();
    const shown = commands.execute('hub-groups:show-groups');
    for (
      let frame = 0;
      frame < 100 && !document.querySelector('.jp-HubGroupsReport');
      frame++
    ) {
      await framePromise();
    }
    expect(mockLoads).toBe(1);
    expect(document.querySelector('.jp-HubGroupsReport')).not.toBeNull();
    await dismissDialog();
    await shown;
    expect(document.querySelector('.jp-HubGroupsReport')).toBeNull();
  });
});
