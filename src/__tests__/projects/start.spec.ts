/**
 * The projects' part once loaded: who sees "New Project…", when the
 * service is asked, the projects' cards (the collaboration cards, second
 * source) and the members panel's command.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { rememberGroupShare, sharesWithGroup } from '../../projects/remember';
import {
  CommandIDs,
  IProjectsStarted,
  startProjects
} from '../../projects/start';
import { FakeGroups } from '../fakes';
import { FakeProjectsService, waitFor } from './fakeservice';

describe('startProjects', () => {
  let service: FakeProjectsService;
  let commands: CommandRegistry;
  let cards: ILauncher.IItemOptions[];
  let added: Widget[];
  let groups: FakeGroups;
  let started: IProjectsStarted | null;

  beforeEach(() => {
    service = new FakeProjectsService();
    commands = new CommandRegistry();
    cards = [];
    added = [];
    groups = new FakeGroups('ready');
    groups.groups = new Set(['course']);
    started = null;
  });

  afterEach(() => {
    started?.dispose();
    added.forEach(w => w.dispose());
  });

  async function start(answer: Record<string, unknown>): Promise<void> {
    const launcher = {
      add: (item: ILauncher.IItemOptions) => {
        cards.push(item);
        return new DisposableDelegate(() =>
          cards.splice(cards.indexOf(item), 1)
        );
      }
    };
    const app = {
      commands,
      shell: {
        add: (widget: Widget) => added.push(widget),
        activateById: () => undefined
      },
      resolveOptionalService: (token: { name: string }) =>
        Promise.resolve(token.name.includes('ILauncher') ? launcher : null)
    } as unknown as JupyterFrontEnd;
    started = await startProjects({
      app,
      groups,
      palette: null,
      trans: nullTranslator.load('jupyterlab_hub_groups'),
      answer,
      client: service.client()
    });
  }

  const labels = () => cards.map(c => commands.label(c.command, c.args ?? {}));

  it('shows New Project… to everyone when allowed is null', async () => {
    await start({ projects_service: { allowed: null, max_per_person: 3 } });
    expect(labels()).toEqual(['New Project…']);
    expect(cards[0].category).toBe('Collaboration');
    expect(commands.isVisible(CommandIDs.create)).toBe(true);
  });

  it("shows New Project… only to the allowed group's members, following the groups", async () => {
    await start({ projects_service: { allowed: 'makers', max_per_person: 3 } });
    expect(labels()).toEqual([]);
    expect(commands.isVisible(CommandIDs.create)).toBe(false);
    groups.answer('ready', ['course', 'makers']);
    expect(labels()).toEqual(['New Project…']);
    groups.answer('ready', ['course']);
    expect(labels()).toEqual([]);
  });

  it('never offers it with YAML projects kept by shares only', async () => {
    await start({ project_access: 'shares' });
    expect(labels()).toEqual([]);
  });

  it('asks the service at start unless the start-up answer says one is in no project, then when the groups change', async () => {
    await start({
      projects_service: { allowed: null, max_per_person: 3 },
      service_projects: false
    });
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.said).toEqual([]);
    service.projects = [
      { name: 'orca', creator: 'vex', members: ['vex'], status: 'stopped' }
    ];
    groups.answer('ready', ['course']); // the first answer: no change yet
    groups.answer('ready', ['course', 'orca']);
    await waitFor(() => service.said.includes('GET projects'), 'GET projects');
  });

  it('reads when the first answer after the start is itself the change (added to a project while the page loaded)', async () => {
    await start({
      projects_service: { allowed: null, max_per_person: 3 },
      service_projects: false
    });
    expect(service.said).toEqual([]);
    groups.answer('ready', ['course', 'orca']);
    await waitFor(() => service.said.includes('GET projects'), 'GET projects');
  });

  it('loads no model for someone in no project until they make one', async () => {
    await start({
      projects_service: { allowed: null, max_per_person: 3 },
      service_projects: false
    });
    expect(labels()).toEqual(['New Project…']);
    expect(started!.model).toBeNull();
    // New Project… loads it (and its dialog), then asks nothing by itself
    void commands.execute(CommandIDs.create);
    await waitFor(() => started!.model !== null, 'the model');
    expect(started!.model!.active).toBe(false);
    expect(service.said).toEqual([]);
    document
      .querySelector<HTMLButtonElement>('.jp-Dialog .jp-mod-reject')
      ?.click();
  });

  it('keeps asking while the owner shares the server with a group (newcomers get their share at each read)', async () => {
    rememberGroupShare(true);
    try {
      await start({
        projects_service: { allowed: null, max_per_person: 3 },
        service_projects: false
      });
      await waitFor(
        () => service.said.includes('GET projects'),
        'GET projects'
      );
    } finally {
      rememberGroupShare(false);
    }
    expect(sharesWithGroup()).toBe(false);
  });

  it("adds a project's card once there is one, as a collaboration card", async () => {
    service.projects = [
      {
        name: 'orca',
        creator: 'vex',
        members: ['vax', 'vex'],
        status: 'running'
      }
    ];
    await start({ projects_service: { allowed: 'makers', max_per_person: 3 } });
    await waitFor(() => cards.length > 0, 'the card');
    expect(labels()).toEqual(['Project orca · running']);
    expect(cards[0]).toMatchObject({
      command: CommandIDs.open,
      args: { account: 'orca-collab' },
      category: 'Collaboration'
    });
    // Gone once one is no longer in it.
    service.projects = [];
    await started!.model!.refresh();
    expect(labels()).toEqual([]);
  });

  it("opens a project's members panel once, and activates it again", async () => {
    service.projects = [
      {
        name: 'orca',
        creator: 'vex',
        members: ['vax', 'vex'],
        status: 'running'
      }
    ];
    await start({ projects_service: { allowed: null, max_per_person: 3 } });
    await started!.model!.refresh();
    await commands.execute(CommandIDs.members, { project: 'orca' });
    await commands.execute(CommandIDs.members, { project: 'orca' });
    expect(added).toHaveLength(1);
    expect(added[0].title.label).toBe('Project orca: Members');
    expect(commands.label(CommandIDs.members, { project: 'orca' })).toBe(
      'Members of Project orca'
    );
  });
});
