/**
 * Launcher items that wait for a restart: an item leading into this
 * server, shown only through groups joined since the server started (its
 * service comes with the next start). Its card says so, and opening it
 * offers the restart instead of a page that is not there yet.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { restartServer } from '../../common/restart';
import { HubGroupsLauncherModel } from '../../launcher/model';
import { LauncherItems } from '../../launcher/registry';
import { waitingItems } from '../../launcher/restart';
import { context, FakeGroups } from '../fakes';

jest.mock('../../common/restart', () => ({
  restartServer: jest.fn(() => Promise.resolve(true))
}));

const COURSE = 'Class1234_Semester02';
const here = { ...context, baseUrl: '/user/mmuster/', user: 'mmuster' };
const dashboard = {
  id: 'course-dashboard',
  label: 'Course dashboard',
  url: '{base_url}course-dashboard/',
  groups: [COURSE, 'instructors']
};

/** mmuster, in the course since her server started, and in vox before. */
function joinedTheCourse(): FakeGroups {
  const groups = new FakeGroups('ready');
  groups.groups = new Set([COURSE, 'vox']);
  groups.joinedSinceStart = [COURSE];
  return groups;
}

function optionsWith(groups: FakeGroups, commands = new CommandRegistry()) {
  return {
    model: new HubGroupsLauncherModel(groups),
    commands,
    shell: { add: jest.fn() } as any,
    trans: nullTranslator.load('jupyterlab_hub_groups'),
    urlContext: () => here,
    groups
  };
}

describe('waitingItems', () => {
  const waiting = (item: any, groups = joinedTheCourse()) =>
    waitingItems(optionsWith(groups))(item);

  it('marks an item into this server that only a group joined since shows', () => {
    expect(waiting(dashboard)?.label).toBe(
      'Course dashboard (after a restart)'
    );
    // a link of this server written in full
    expect(
      waiting({ ...dashboard, url: `${window.location.origin}/user/mmuster/x` })
    ).not.toBeNull();
  });

  it('leaves alone what the server had at its start, and what is elsewhere', () => {
    const cases = [
      // shown through a group the server started with too
      { ...dashboard, groups: [COURSE, 'vox'] },
      // for everyone
      { ...dashboard, groups: [] },
      // another site, the hub, another user's server
      { ...dashboard, url: 'https://example.org/course/' },
      { ...dashboard, url: '{hub_prefix}home' },
      { ...dashboard, url: '/user/alice/course-dashboard/' },
      // a command, not a page of this server
      { id: 'c', label: 'C', command: 'help:about', groups: [COURSE] },
      // a template that cannot be expanded: opening it says why
      { ...dashboard, url: '{nope}/x' }
    ];
    for (const item of cases) {
      expect(waiting(item)).toBeNull();
    }
  });

  it('marks nothing on a server started with every group (no group joined since)', () => {
    const groups = joinedTheCourse();
    groups.joinedSinceStart = [];
    expect(waiting(dashboard, groups)).toBeNull();
  });

  it('offers the restart, saying why', async () => {
    const commands = new CommandRegistry();
    const options = optionsWith(joinedTheCourse(), commands);
    await expect(waitingItems(options)(dashboard)!.open()).resolves.toBe(true);
    expect(restartServer).toHaveBeenCalledWith({
      trans: options.trans,
      commands,
      why: '"Course dashboard" comes with a group you joined after your server started.'
    });
  });
});

describe('LauncherItems with a group joined since the start', () => {
  let groups: FakeGroups;
  let options: ReturnType<typeof optionsWith>;
  let items: LauncherItems;

  beforeEach(() => {
    (restartServer as jest.Mock).mockClear();
    groups = new FakeGroups('ready');
    groups.groups = new Set(['vox']);
    options = optionsWith(groups);
    items = new LauncherItems(options);
  });

  afterEach(() => {
    items.dispose();
    options.model.dispose();
  });

  const whenChanged = () =>
    new Promise<void>(resolve => {
      const once = () => {
        items.changed.disconnect(once);
        resolve();
      };
      items.changed.connect(once);
    });

  it('labels the card and opens the restart, once the groups say so; then back', async () => {
    await items.update({ items: [dashboard] });
    expect(items.label({ id: dashboard.id })).toBe('Course dashboard');

    // approved: the groups service's next answer
    const loaded = whenChanged();
    groups.groups = new Set([COURSE, 'vox']);
    groups.joinedSinceStart = [COURSE];
    groups.changed.emit();
    await loaded;
    expect(items.label({ id: dashboard.id })).toBe(
      'Course dashboard (after a restart)'
    );
    const card = Array.from(options.model.items()).find(
      i => i.args?.id === dashboard.id
    );
    expect(card).toBeDefined();
    await items.open({ id: dashboard.id });
    expect(restartServer).toHaveBeenCalledTimes(1);
    expect(options.shell.add).not.toHaveBeenCalled();

    // after the restart, the server has it: a plain card again
    groups.joinedSinceStart = [];
    groups.changed.emit();
    expect(items.label({ id: dashboard.id })).toBe('Course dashboard');
    await items.open({ id: dashboard.id });
    expect(options.shell.add).toHaveBeenCalledTimes(1);
  });
});
