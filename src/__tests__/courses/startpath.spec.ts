/**
 * What the courses plugin loads at start: the instructor's side
 * (`instructor.ts`, with the e-mail link's reader and the command's icon)
 * only when the page may manage a group, the command runs, or the address
 * has the e-mail's link. The specs run in order: the first sees nothing
 * loaded in this file's module registry.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { LauncherModel } from '@jupyterlab/launcher';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import type { coursesPlugin as CoursesPlugin } from '../../courses/plugin';
import { IHubGroups } from '../../tokens';
import { FakeGroups } from '../fakes';
import { COURSE, FakeServer, waitFor } from './fakeserver';

const mockLoaded: string[] = [];
jest.mock('../../courses/instructor', () => {
  mockLoaded.push('instructor');
  return jest.requireActual('../../courses/instructor');
});
jest.mock('../../courses/members/link', () => {
  mockLoaded.push('link');
  return jest.requireActual('../../courses/members/link');
});
jest.mock('../../courses/icon', () => {
  mockLoaded.push('icon');
  return jest.requireActual('../../courses/icon');
});

const MANAGE = 'hub-groups:manage-course';

// Loaded once the counting above is set up (a static import would run
// before it): a static import of the instructor's side into the plugin
// then shows in the first spec's count.
let coursesPlugin: typeof CoursesPlugin;
beforeAll(async () => {
  ({ coursesPlugin } = await import('../../courses/plugin'));
});

/** Let the background work (the start-up answer, a module load) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 50));
}

describe('the courses plugin at start', () => {
  let commands: CommandRegistry;
  let launcher: LauncherModel;
  let groups: FakeGroups;
  let server: FakeServer;
  let changed: string[];
  let added: Widget[];

  const activate = (manage: IHubGroups.IStartup['manage']) => {
    groups.startup = Promise.resolve({
      manage,
      presence: null,
      collaborations: null,
      coursesToJoin: null
    });
    const app = {
      commands,
      shell: {
        add: (widget: Widget) => added.push(widget),
        activateById: () => undefined
      },
      restored: Promise.resolve(),
      serviceManager: { serverSettings: server.settings() }
    } as unknown as JupyterFrontEnd;
    coursesPlugin.activate(
      app,
      groups,
      nullTranslator,
      launcher,
      null,
      null,
      null
    );
  };

  beforeEach(() => {
    PageConfig.setOption('hubPrefix', '/hub/');
    commands = new CommandRegistry();
    changed = [];
    added = [];
    commands.commandChanged.connect((_, args) => changed.push(args.id!));
    launcher = new LauncherModel();
    groups = new FakeGroups('ready');
    server = new FakeServer();
  });

  afterEach(() => {
    // A panel's models stop with it.
    added.forEach(widget => widget.dispose());
    PageConfig.setOption('hubPrefix', '');
    window.history.replaceState(null, '', '/');
  });

  it("loads none of the instructor's side on a student's page (manages none, no link)", async () => {
    server.manages = [];
    activate({ groups: [] });
    await settle();
    expect(mockLoaded).toEqual([]);
    expect(server.requests).toHaveLength(0);
    // The command is there (the layout restorer may run it), shown nowhere.
    expect(commands.hasCommand(MANAGE)).toBe(true);
    expect(commands.label(MANAGE, {})).toBe('Manage Course Members…');
    expect(commands.isVisible(MANAGE, {})).toBe(false);
    expect(commands.icon(MANAGE, {})).toBeUndefined();
  });

  it('loads it for the e-mail link, even on such a page, and opens its course', async () => {
    server.manages = [];
    window.history.replaceState(
      null,
      '',
      `/user/prof/lab?hub-groups-manage=${encodeURIComponent(COURSE)}`
    );
    const opened: unknown[] = [];
    activate({ groups: [] });
    commands.commandExecuted.connect((_, args) => opened.push(args.args));
    await waitFor(() => added.length > 0, 'the panel');
    expect(mockLoaded).toEqual(['instructor', 'icon', 'link']);
    expect(opened).toEqual([{ group: COURSE }]);
    await waitFor(() => window.location.search === '', 'the link to go');
  });

  it("gives the command its icon with the instructor's side, and says so", async () => {
    server.manages = [];
    activate({ groups: [] });
    await settle();
    expect(commands.icon(MANAGE, {})).toBeUndefined();
    // In a new group (it may come with a role): the instructor's side.
    server.manages = [COURSE];
    groups.answer('ready', ['vox']);
    groups.answer('ready', ['vox', COURSE]);
    await waitFor(() => commands.isVisible(MANAGE, {}), 'a group to manage');
    const { courseMembersIcon } = jest.requireActual('../../courses/icon');
    expect(commands.icon(MANAGE, {})).toBe(courseMembersIcon);
    expect(changed).toContain(MANAGE);
  });

  it('loads it when the start-up answer lists a group to manage, with the icon before the card', async () => {
    activate({ groups: [COURSE] });
    await waitFor(() => Array.from(launcher.items()).length > 0, 'the card');
    expect(commands.icon(MANAGE, { group: COURSE })).toBeDefined();
    expect(server.requests).toHaveLength(0);
  });
});
