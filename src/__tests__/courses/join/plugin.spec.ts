import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { LauncherModel } from '@jupyterlab/launcher';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import { EnrolmentClient } from '../../../courses/client';
import { enrolmentPlugin } from '../../../courses/join/plugin';
import { IHubGroups } from '../../../tokens';
import { FakeGroups } from '../../fakes';
import { COURSE, FakeService, OPEN } from '../fakeservice';
import { waitFor } from '../fakeserver';

const JOIN = 'hub-groups:join-course';

describe('enrolmentPlugin', () => {
  let commands: CommandRegistry;
  let launcher: LauncherModel;
  let groups: FakeGroups;
  let service: FakeService;
  let refreshed: number;
  /** Settles when the last request was answered. */
  let answered: Promise<void>;
  let managed: { groups: string[]; changed: Signal<any, void> };
  const realFetch = (globalThis as any).fetch;

  const cards = () =>
    Array.from(launcher.items()).map(item => [
      item.args?.group,
      item.category,
      commands.label(item.command, item.args)
    ]);

  const activate = () =>
    enrolmentPlugin.activate(
      {
        commands,
        restored: Promise.resolve(),
        serviceManager: {}
      } as unknown as JupyterFrontEnd,
      groups,
      launcher,
      nullTranslator,
      managed,
      null
    );

  beforeEach(() => {
    commands = new CommandRegistry();
    launcher = new LauncherModel();
    managed = { groups: [], changed: new Signal<any, void>({}) };
    const mine = (groups = new FakeGroups('ready'));
    // The hub's answer: the page's token may call the service.
    mine.hubGroupsService = true;
    refreshed = 0;
    // (Plugins live on: count this test's own groups service only, and
    // let earlier tests' plugins change only their own.)
    mine.refresh = async () => {
      refreshed += groups === mine ? 1 : 0;
      // The hub's answer: the course, once the service added them.
      mine.answer(
        'ready',
        service.members[COURSE].includes('mmuster2') ? [COURSE] : []
      );
    };
    service = new FakeService();
    answered = Promise.resolve();
    (globalThis as any).fetch = (url: string, init: RequestInit) => {
      const response = service.fetch(url, init);
      answered = response.then(() => undefined);
      return response;
    };
    PageConfig.setOption('hubPrefix', '/hub/');
    PageConfig.setOption('hubUser', 'mmuster2');
    PageConfig.setOption('hubServerUser', 'mmuster2');
    PageConfig.setOption('token', 'page-token');
  });

  afterEach(() => {
    (globalThis as any).fetch = realFetch;
    for (const key of ['hubPrefix', 'hubUser', 'hubServerUser', 'token']) {
      PageConfig.setOption(key, '');
    }
    Notification.dismiss();
    jest.restoreAllMocks();
  });

  it('does nothing outside a hub, nor on someone else’s server', async () => {
    PageConfig.setOption('hubPrefix', '');
    activate();
    PageConfig.setOption('hubPrefix', '/hub/');
    PageConfig.setOption('hubServerUser', 'vox-collab');
    const fromPage = jest.spyOn(EnrolmentClient, 'fromPage');
    activate();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(commands.hasCommand(JOIN)).toBe(false);
    expect(service.calls).toEqual([]);
    // Not even loaded: the Join cards' code never comes to a page where
    // nothing can be joined from.
    expect(fromPage).not.toHaveBeenCalled();
  });

  it('asks nothing on a hub without the service (the page may not call it), until the groups service says it may', async () => {
    groups.hubGroupsService = false;
    activate();
    await new Promise(resolve => setTimeout(resolve, 20));
    // nor when the groups change
    groups.answer('ready', ['vox']);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toEqual([]);
    expect(cards()).toEqual([]);

    groups.hubGroupsService = true;
    groups.changed.emit();
    await waitFor(() => cards().length === 2, 'the cards');
    expect(service.calls[0].url).toBe('/services/hub-groups/api/courses');
  });

  describe("the start-up answer's courses to join", () => {
    const startup = (coursesToJoin: IHubGroups.IStartup['coursesToJoin']) => {
      groups.startup = Promise.resolve({
        manage: null,
        presence: null,
        collaborations: null,
        coursesToJoin
      });
    };

    it('asks the service nothing at start when there is none, and asks once the groups change', async () => {
      startup([]);
      activate();
      await new Promise(resolve => setTimeout(resolve, 30));
      expect(service.calls).toEqual([]);
      expect(cards()).toEqual([]);
      // Nor is the cards' code loaded: their command comes with it.
      expect(commands.hasCommand(JOIN)).toBe(false);
      // Left a course (an instructor's panel): it may be one to join now.
      groups.answer('ready', ['vox']);
      groups.answer('ready', []);
      await waitFor(() => cards().length === 2, 'the cards');
      expect(service.calls[0].url).toBe('/services/hub-groups/api/courses');
      expect(service.calls).toHaveLength(1);
      expect(commands.hasCommand(JOIN)).toBe(true);
    });

    it('takes the settings read before the model is loaded', async () => {
      jest.useFakeTimers();
      try {
        startup([]);
        const settings = {
          get: () => ({ composite: 120 }),
          changed: new Signal<any, any>({})
        };
        enrolmentPlugin.activate(
          {
            commands,
            restored: Promise.resolve(),
            serviceManager: {}
          } as unknown as JupyterFrontEnd,
          groups,
          launcher,
          nullTranslator,
          managed,
          { load: () => Promise.resolve(settings) } as any
        );
        await jest.advanceTimersByTimeAsync(30);
        groups.answer('ready', ['vox']);
        groups.answer('ready', []);
        await jest.advanceTimersByTimeAsync(30);
        expect(cards()).toHaveLength(2);
        // 120 s between reads, not the default 60.
        await jest.advanceTimersByTimeAsync(100_000);
        expect(service.calls).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(21_000);
        expect(service.calls).toHaveLength(2);
      } finally {
        jest.useRealTimers();
      }
    });

    it('asks the service at start when there are some', async () => {
      startup([{ group: COURSE, enrolment: 'request' }]);
      activate();
      await waitFor(() => cards().length === 2, 'the cards');
      expect(service.calls).toHaveLength(1);
    });

    it('asks the service at start when the answer does not know (null)', async () => {
      startup(null);
      activate();
      await waitFor(() => cards().length === 2, 'the cards');
      expect(service.calls[0].url).toBe('/services/hub-groups/api/courses');
    });
  });

  it('adds Join cards, with the page token, once JupyterLab is restored', async () => {
    activate();
    await waitFor(() => cards().length === 2, 'the cards');
    expect(cards()).toEqual([
      [COURSE, 'Courses', `Join ${COURSE} · Request to join`],
      [OPEN, 'Courses', `Join ${OPEN}`]
    ]);
    expect(service.calls[0].url).toBe('/services/hub-groups/api/courses');
    expect(service.calls[0].init.headers).toEqual({
      Authorization: 'token page-token'
    });
  });

  it('has no Join card for a course the user manages (its Manage card is theirs)', async () => {
    activate();
    await waitFor(() => cards().length === 2, 'the cards');
    managed.groups = [COURSE];
    managed.changed.emit();
    expect(cards().map(c => c[0])).toEqual([OPEN]);
  });

  it('once approved, asks the groups service at once; the Join card goes', async () => {
    activate();
    await waitFor(() => cards().length === 2, 'the cards');
    service.ask('mmuster2', COURSE, 'hi');
    window.dispatchEvent(new Event('focus'));
    await waitFor(
      () => cards().some(c => c[2] === `Join ${COURSE} · Pending`),
      'the pending card'
    );
    expect(refreshed).toBe(0);
    // prof approves (elsewhere); the student comes back to the tab.
    service.rows[0].state = 'approved';
    service.members[COURSE].push('mmuster2');
    // A second later (focus events within a second make one read).
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1500);
    window.dispatchEvent(new Event('focus'));
    await waitFor(() => refreshed === 1, 'the groups refresh');
    expect(cards()).toEqual([[OPEN, 'Courses', `Join ${OPEN}`]]);
  });

  it('a membership the groups service found first is not asked for again', async () => {
    activate();
    groups.answer('ready', []); // its first answer
    await waitFor(() => cards().length === 2, 'the cards');
    service.ask('mmuster2', COURSE, 'hi');
    window.dispatchEvent(new Event('focus'));
    await waitFor(
      () => cards().some(c => c[2] === `Join ${COURSE} · Pending`),
      'the pending card'
    );
    const read = service.calls.length;
    // Approved; the groups service's own interval read sees it first, and
    // makes the courses be read again, which shows the approval too.
    service.rows[0].state = 'approved';
    service.members[COURSE].push('mmuster2');
    groups.answer('ready', [COURSE]);
    await waitFor(() => service.calls.length > read, 'the courses read');
    await answered;
    // What the model does with the answer (a macrotask flushes it).
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(cards()).toEqual([[OPEN, 'Courses', `Join ${OPEN}`]]);
    expect(refreshed).toBe(0);
  });
});
