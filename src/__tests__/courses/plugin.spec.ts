import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { LauncherModel } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { CourseMembersPanel } from '../../courses/members/panel';
import { coursesPlugin } from '../../courses/plugin';
import { ICourseManagement, IHubGroups } from '../../tokens';
import { FakeGroups } from '../fakes';
import { FakeService } from './fakeservice';
import { COURSE, FakeServer, waitFor } from './fakeserver';

const MANAGE = 'hub-groups:manage-course';
const MANAGE_CARD = 'hub-groups:manage-course-card';

describe('coursesPlugin', () => {
  let commands: CommandRegistry;
  let launcher: LauncherModel;
  let groups: FakeGroups;
  let server: FakeServer;
  let added: Widget[];
  let activated: string[];

  const cards = () =>
    Array.from(launcher.items()).map(item => ({
      command: item.command,
      args: item.args,
      category: item.category
    }));

  const activate = (settingRegistry: ISettingRegistry | null = null) => {
    const app = {
      commands,
      shell: {
        add: (widget: Widget) => {
          added.push(widget);
          Widget.attach(widget, document.body);
        },
        activateById: (id: string) => activated.push(id)
      },
      restored: Promise.resolve(),
      serviceManager: { serverSettings: server.settings() }
    } as unknown as JupyterFrontEnd;
    return coursesPlugin.activate(
      app,
      groups,
      nullTranslator,
      launcher,
      null,
      null,
      settingRegistry
    );
  };

  beforeEach(() => {
    commands = new CommandRegistry();
    launcher = new LauncherModel();
    groups = new FakeGroups('ready');
    server = new FakeServer();
    added = [];
    activated = [];
  });

  afterEach(() => {
    for (const widget of added) {
      widget.dispose();
    }
    PageConfig.setOption('hubPrefix', '');
  });

  it('does nothing outside a hub', async () => {
    PageConfig.setOption('hubPrefix', '');
    // Returns before creating anything: no model, so no request ever.
    activate();
    expect(commands.hasCommand(MANAGE)).toBe(false);
    expect(server.requests).toHaveLength(0);
    expect(cards()).toEqual([]);
  });

  describe('under a hub', () => {
    beforeEach(() => {
      PageConfig.setOption('hubPrefix', '/hub/');
      // Members only here: on someone else's server there is no
      // enrolment client (plugins live on after their test, and would
      // read the next tests' requests).
      PageConfig.setOption('hubUser', 'prof');
      PageConfig.setOption('hubServerUser', 'vox-collab');
    });

    it("adds a Manage card per group the hub says the user manages, in the group's category", async () => {
      activate();
      await waitFor(() => cards().length > 0, 'the card');
      expect(cards()).toEqual([
        { command: MANAGE_CARD, args: { group: COURSE }, category: COURSE }
      ]);
      expect(commands.label(MANAGE_CARD, { group: COURSE })).toBe(
        `Manage ${COURSE}`
      );
      expect(commands.label(MANAGE, { group: COURSE })).toBe(
        `Manage ${COURSE}`
      );
      // The palette's item.
      expect(commands.label(MANAGE, {})).toBe('Manage Course Members…');
      expect(commands.isVisible(MANAGE, {})).toBe(true);

      // The right goes (the groups changed): the card goes, without a
      // reload, and the palette hears of it.
      const changed: string[] = [];
      commands.commandChanged.connect((_, args) => changed.push(args.id!));
      server.manages = [];
      groups.answer('ready', ['instructors']);
      groups.answer('ready', []);
      await waitFor(() => cards().length === 0, 'the card to go');
      expect(cards()).toEqual([]);
      expect(commands.isVisible(MANAGE, {})).toBe(false);
      expect(changed).toContain(MANAGE);
    });

    it('shows nothing to a student', async () => {
      server.manages = [];
      activate();
      await waitFor(() => server.requests.length > 0, 'the request');
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(cards()).toEqual([]);
      expect(commands.isVisible(MANAGE, {})).toBe(false);
    });

    describe("the start-up answer's manage", () => {
      const startup = (manage: IHubGroups.IStartup['manage']) => {
        groups.startup = Promise.resolve({
          manage,
          presence: null,
          collaborations: null,
          coursesToJoin: null
        });
      };

      it('takes the groups it lists: the card at once, the first request an interval later', async () => {
        startup({ groups: [COURSE] });
        const managed = activate() as ICourseManagement;
        await waitFor(() => cards().length > 0, 'the card');
        expect(managed.groups).toEqual([COURSE]);
        expect(commands.isVisible(MANAGE, {})).toBe(true);
        expect(server.requests).toHaveLength(0);
      });

      it('loads nothing and asks nothing when it lists none (a student), until the groups change', async () => {
        server.manages = [];
        startup({ groups: [] });
        const managed = activate() as ICourseManagement;
        const changes: string[][] = [];
        managed.changed.connect(() => changes.push([...managed.groups]));
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(server.requests).toHaveLength(0);
        expect(managed.groups).toEqual([]);
        expect(commands.isVisible(MANAGE, {})).toBe(false);

        // In a new group (it may come with a role): asked then.
        server.manages = [COURSE];
        groups.answer('ready', ['vox']); // the groups service's first answer
        groups.answer('ready', ['vox', COURSE]);
        await waitFor(() => cards().length > 0, 'the card');
        expect(server.calls).toEqual(['GET manage']);
        expect(managed.groups).toEqual([COURSE]);
        expect(changes).toContainEqual([COURSE]);
      });

      it('asks when the command has no group to pick from yet', async () => {
        startup({ groups: [] });
        activate();
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(server.requests).toHaveLength(0);
        const panel = (await commands.execute(
          MANAGE,
          {}
        )) as MainAreaWidget<CourseMembersPanel>;
        expect(server.calls[0]).toBe('GET manage');
        expect(panel.content.model.group).toBe(COURSE);
      });
    });

    it('gives the settings to the model and the open panels, and their changes', async () => {
      const values: Record<string, unknown> = {
        interval: 120,
        membersInterval: 20,
        pendingInterval: 40,
        notifyRequests: true
      };
      const settings = {
        get: (key: string) => ({ composite: values[key] })
      } as { get: unknown; changed: Signal<unknown, unknown> };
      // As the registry's: the settings send their own changes.
      settings.changed = new Signal<unknown, unknown>(settings);
      const registry = {
        load: () => Promise.resolve(settings)
      } as unknown as ISettingRegistry;
      const managed = activate(registry) as ICourseManagement & {
        model: { interval: number } | null;
      };
      await waitFor(() => cards().length > 0, 'the card');
      expect(managed.model?.interval).toBe(120);
      const panel = (await commands.execute(MANAGE, {
        group: COURSE
      })) as MainAreaWidget<CourseMembersPanel>;
      expect(panel.content.model.interval).toBe(20);

      values.interval = 90;
      values.membersInterval = 15;
      settings.changed.emit(undefined);
      await waitFor(
        () => panel.content.model.interval === 15,
        "the panel's interval"
      );
      expect(managed.model?.interval).toBe(90);
    });

    it('opens one panel per group, and activates it when opened again', async () => {
      activate();
      await waitFor(() => cards().length > 0, 'the card');
      const first = (await commands.execute(MANAGE, {
        group: COURSE
      })) as MainAreaWidget<CourseMembersPanel>;
      expect(first.content).toBeInstanceOf(CourseMembersPanel);
      expect(first.title.label).toBe(`Members of ${COURSE}`);
      expect(first.content.model.group).toBe(COURSE);
      // Without a group: the only one.
      const again = await commands.execute(MANAGE, {});
      expect(again).toBe(first);
      expect(added).toEqual([first]);
      expect(activated).toEqual([first.id, first.id]);
      // Closing the panel stops its model.
      first.dispose();
      expect(first.content.model.isDisposed).toBe(true);
    });
  });

  describe('requests to join', () => {
    let service: FakeService;
    const realFetch = (globalThis as any).fetch;

    beforeEach(() => {
      PageConfig.setOption('hubPrefix', '/hub/');
      PageConfig.setOption('hubUser', 'prof');
      PageConfig.setOption('hubServerUser', 'prof');
      PageConfig.setOption('token', 'page-token');
      service = new FakeService();
      service.user = 'prof';
      service.manages = [COURSE];
      (globalThis as any).fetch = (url: string, init: RequestInit) =>
        service.fetch(url, init);
      // The hub's answer: the page's token may call the service.
      groups.hubGroupsService = true;
    });

    afterEach(() => {
      (globalThis as any).fetch = realFetch;
      PageConfig.setOption('hubUser', '');
      PageConfig.setOption('hubServerUser', '');
      PageConfig.setOption('token', '');
      Notification.dismiss();
      window.history.replaceState(null, '', '/');
    });

    it('notifies new requests while the user manages a group; its button opens the panel with them', async () => {
      service.ask('mmuster2', COURSE, 'Please let me in');
      activate();
      await waitFor(
        () => Notification.manager.notifications.length === 1,
        'the notification'
      );
      const [notification] = Notification.manager.notifications;
      expect(notification.message).toBe(
        `mmuster2 asks to join ${COURSE}. They wrote: “\u2068Please let me in\u2069”`
      );
      // The Manage card counts the requests waiting.
      const card = () => commands.label(MANAGE_CARD, { group: COURSE });
      expect(card()).toBe(`Manage ${COURSE} · 1 waiting`);
      notification.options.actions![0].callback(new MouseEvent('click'));
      await waitFor(() => added.length === 1, 'the panel');
      const panel = (added[0] as MainAreaWidget<CourseMembersPanel>).content;
      expect(panel.requests?.group).toBe(COURSE);
      await waitFor(
        () =>
          panel.node.querySelector('.jp-HubGroupsRequests-user')
            ?.textContent === 'mmuster2',
        'the request in the panel'
      );
      // Read again (focus): no second notification.
      window.dispatchEvent(new Event('focus'));
      await waitFor(
        () => service.calls.filter(c => c.call === 'GET pending').length > 1,
        'another read'
      );
      expect(Notification.manager.notifications).toHaveLength(1);

      // prof approves in the panel: the notification goes at once, not at
      // the next read of pending requests.
      const reads = service.calls.filter(c => c.call === 'GET pending').length;
      await panel.requests!.decide(['mmuster2'], true);
      await waitFor(
        () => Notification.manager.notifications.length === 0,
        'the notification to go'
      );
      expect(service.calls.filter(c => c.call === 'GET pending').length).toBe(
        reads + 1
      );
      expect(card()).toBe(`Manage ${COURSE}`);
    });

    it('asks nothing of a hub without the service (the page may not call it), until the groups service says it may', async () => {
      groups.hubGroupsService = false;
      service.ask('mmuster2', COURSE, 'Please let me in');
      activate();
      await waitFor(() => server.requests.length > 0, 'the manage answer');
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(service.calls).toEqual([]);
      // A panel opened meanwhile has no requests section.
      await commands.execute(MANAGE, { group: COURSE });
      const panel = (added[0] as MainAreaWidget<CourseMembersPanel>).content;
      expect(panel.requests).toBeNull();
      expect(service.calls).toEqual([]);

      groups.hubGroupsService = true;
      groups.changed.emit();
      await waitFor(
        () => Notification.manager.notifications.length === 1,
        'the notification'
      );
      expect(service.calls.map(c => c.call)).toContain('GET pending');
    });

    it('asks nothing of the service for someone who manages no group', async () => {
      server.manages = [];
      service.ask('mmuster2');
      activate();
      await waitFor(() => server.requests.length > 0, 'the manage answer');
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(service.calls).toEqual([]);
    });

    it("opens the e-mail link's course once restored, then leaves the address", async () => {
      window.history.replaceState(
        { kept: true },
        '',
        `/user/prof/lab?reset&hub-groups-manage=${encodeURIComponent(COURSE)}`
      );
      activate();
      await waitFor(() => added.length === 1, 'the panel');
      const panel = (added[0] as MainAreaWidget<CourseMembersPanel>).content;
      expect(panel.model.group).toBe(COURSE);
      expect(activated).toEqual([added[0].id]);
      expect(window.location.pathname + window.location.search).toBe(
        '/user/prof/lab?reset'
      );
      expect(window.history.state).toEqual({ kept: true });
    });
  });
});
