/**
 * The projects plugin at start: "Share My Server…" at once (visible where
 * the page may call the service, never on someone else's server), and
 * the projects' part (`start.ts`) loaded only when the start-up answer
 * says the service keeps projects.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import type { projectsPlugin as ProjectsPlugin } from '../../projects/plugin';
import { FakeGroups } from '../fakes';
import { settle } from './fakeservice';

const mockStarted: unknown[] = [];
jest.mock('../../projects/start', () => {
  const actual = jest.requireActual('../../projects/start');
  return {
    ...actual,
    startProjects: (options: any) => {
      mockStarted.push(options.answer);
      return Promise.resolve(null);
    }
  };
});

let projectsPlugin: typeof ProjectsPlugin;
beforeAll(async () => {
  ({ projectsPlugin } = await import('../../projects/plugin'));
});

const SHARE = 'hub-groups:share-server';

describe('projectsPlugin', () => {
  let commands: CommandRegistry;
  let groups: FakeGroups;
  let palette: string[];

  beforeEach(() => {
    mockStarted.length = 0;
    PageConfig.setOption('hubPrefix', '/hub/');
    PageConfig.setOption('hubUser', 'vex');
    PageConfig.setOption('hubServerUser', 'vex');
    commands = new CommandRegistry();
    groups = new FakeGroups('ready');
    palette = [];
  });

  afterEach(() => {
    for (const key of ['hubPrefix', 'hubUser', 'hubServerUser']) {
      PageConfig.setOption(key, '');
    }
  });

  function activate(startup: Record<string, unknown> | null): void {
    groups.startup = Promise.resolve(
      startup && {
        manage: null,
        presence: null,
        collaborations: null,
        coursesToJoin: null,
        projects: startup
      }
    );
    const app = {
      commands,
      restored: Promise.resolve()
    } as unknown as JupyterFrontEnd;
    void projectsPlugin.activate(app, groups, nullTranslator, {
      addItem: (item: { command: string }) => palette.push(item.command)
    } as unknown as ICommandPalette);
  }

  it('adds Share My Server… to the palette, visible where the service keeps projects (its sharing comes with them)', async () => {
    groups.hubGroupsService = true;
    activate({ project_access: 'roles' }); // enrolment courses only
    await settle();
    expect(palette).toEqual([SHARE]);
    expect(commands.label(SHARE)).toBe('Share My Server…');
    expect(commands.isVisible(SHARE)).toBe(false);
    commands = new CommandRegistry();
    activate({ projects_service: { allowed: null, max_per_person: 3 } });
    expect(commands.isVisible(SHARE)).toBe(false); // not before the answer
    await settle();
    expect(commands.isVisible(SHARE)).toBe(true);
    commands = new CommandRegistry();
    activate({ project_access: 'shares' });
    await settle();
    expect(commands.isVisible(SHARE)).toBe(true);
  });

  it("does nothing on someone else's server (a collaboration account's)", async () => {
    PageConfig.setOption('hubServerUser', 'vox-collab');
    activate({ projects_service: { allowed: null, max_per_person: 3 } });
    await settle();
    expect(commands.hasCommand(SHARE)).toBe(false);
    expect(palette).toEqual([]);
    expect(mockStarted).toEqual([]);
  });

  it('loads nothing more where the service keeps no projects', async () => {
    activate({ project_access: 'roles', manage: { groups: [] } });
    await settle();
    commands = new CommandRegistry();
    activate(null);
    await settle();
    expect(mockStarted).toEqual([]);
  });

  it('starts the projects with runtime projects on, or YAML projects kept by shares', async () => {
    const runtime = {
      project_access: 'roles',
      projects_service: { allowed: 'makers', max_per_person: 3 }
    };
    activate(runtime);
    await settle();
    expect(mockStarted).toEqual([runtime]);
    commands = new CommandRegistry();
    activate({ project_access: 'shares' });
    await settle();
    expect(mockStarted).toEqual([runtime, { project_access: 'shares' }]);
  });
});
