import { ILauncher } from '@jupyterlab/launcher';

import { allRules } from '../../launcher/items';
import {
  HubGroupsLauncherModel,
  OPEN_ITEM_COMMAND,
  ruleMatches
} from '../../launcher/model';
import { FakeGroups } from '../fakes';

const notebook = (kernelName: string): ILauncher.IItemOptions => ({
  command: 'notebook:create-new',
  args: { isLauncher: true, kernelName },
  category: 'Notebook'
});
const consoleCard = (name: string): ILauncher.IItemOptions => ({
  command: 'console:create',
  args: { isLauncher: true, kernelPreference: { name } },
  category: 'Console'
});
const proxyCard: ILauncher.IItemOptions = {
  command: 'server-proxy:open',
  args: { id: 'course-dashboard', url: '/user/x/course-dashboard/' },
  category: 'Notebook'
};

describe('ruleMatches', () => {
  it('matches by command and a subset of args', () => {
    const rule = {
      command: 'server-proxy:open',
      args: { id: 'course-dashboard' },
      groups: ['c']
    };
    expect(ruleMatches(rule, proxyCard)).toBe(true);
    expect(ruleMatches({ ...rule, args: { id: 'other' } }, proxyCard)).toBe(
      false
    );
    expect(ruleMatches({ ...rule, command: 'console:create' }, proxyCard)).toBe(
      false
    );
    expect(
      ruleMatches({ command: 'server-proxy:open', groups: [] }, proxyCard)
    ).toBe(true);
    expect(
      ruleMatches(
        { command: '*', args: { id: 'course-dashboard' }, groups: [] },
        proxyCard
      )
    ).toBe(true);
  });

  it('compares nested args by value', () => {
    const rule = {
      command: 'console:create',
      args: { kernelPreference: { name: 'r' } },
      groups: []
    };
    expect(ruleMatches(rule, consoleCard('r'))).toBe(true);
    expect(ruleMatches(rule, consoleCard('python3'))).toBe(false);
  });

  it('the kernels shorthand matches notebook and console cards of that kernel', () => {
    const [rule] = allRules({
      items: [],
      rules: [],
      kernels: { course: ['c'] }
    });
    expect(ruleMatches(rule, notebook('course'))).toBe(true);
    expect(ruleMatches(rule, consoleCard('course'))).toBe(true);
    expect(ruleMatches(rule, notebook('python3'))).toBe(false);
    expect(ruleMatches(rule, proxyCard)).toBe(false);
  });
});

describe('HubGroupsLauncherModel', () => {
  let groups: FakeGroups;
  let model: HubGroupsLauncherModel;
  const labels = () =>
    Array.from(model.items()).map(i => JSON.stringify(i.args));

  beforeEach(() => {
    groups = new FakeGroups();
    model = new HubGroupsLauncherModel(groups);
    model.add(notebook('python3'));
    model.add(notebook('class1234_semester02'));
    model.add(consoleCard('class1234_semester02'));
    model.add(proxyCard);
    model.add({ command: OPEN_ITEM_COMMAND, args: { id: 'dashboard' } });
    model.add({ command: OPEN_ITEM_COMMAND, args: { id: 'for-all' } });
    model.rules = allRules({
      items: [],
      rules: [
        {
          command: 'server-proxy:open',
          args: { id: 'course-dashboard' },
          groups: ['Class1234_Semester02']
        }
      ],
      kernels: { class1234_semester02: ['Class1234_Semester02'] }
    });
    model.setItemGroups(
      new Map([
        ['dashboard', ['Class1234_Semester02']],
        ['for-all', []]
      ])
    );
  });

  afterEach(() => model.dispose());

  it('before the groups arrive, shows only ungated cards (fail closed)', () => {
    expect(labels()).toEqual([JSON.stringify(notebook('python3').args)]);
  });

  it('shows gated cards to members only', () => {
    groups.answer('ready', ['mighty']);
    expect(labels()).toEqual([
      JSON.stringify(notebook('python3').args),
      JSON.stringify({ id: 'for-all' })
    ]);
    groups.answer('ready', ['Class1234_Semester02']);
    expect(Array.from(model.items())).toHaveLength(6);
  });

  it('adds and removes cards live when the groups change', () => {
    const renders: number[] = [];
    model.stateChanged.connect(() =>
      renders.push(Array.from(model.items()).length)
    );
    groups.answer('ready', ['Class1234_Semester02']);
    groups.answer('ready', ['mighty']);
    groups.answer('unavailable', []);
    expect(renders).toEqual([6, 2, 1]);
  });

  it.each(['unavailable', 'refused'] as const)(
    'keeps cards for a stale answer, and drops them when %s',
    status => {
      groups.answer('stale', ['Class1234_Semester02']);
      expect(Array.from(model.items())).toHaveLength(6);
      groups.answer(status, []);
      expect(Array.from(model.items())).toHaveLength(1);
    }
  );

  it('outside a hub, shows cards meant for everyone and nothing gated', () => {
    groups.answer('absent', []);
    expect(labels()).toEqual([
      JSON.stringify(notebook('python3').args),
      JSON.stringify({ id: 'for-all' })
    ]);
  });

  it('hides our items whose settings are gone', () => {
    groups.answer('ready', ['Class1234_Semester02']);
    model.setItemGroups(new Map([['for-all', []]]));
    expect(labels()).not.toContain(JSON.stringify({ id: 'dashboard' }));
  });

  it('re-renders when the rules change', () => {
    let renders = 0;
    model.stateChanged.connect(() => renders++);
    groups.answer('ready', []);
    model.rules = [];
    expect(renders).toBe(2);
    expect(labels()).toContain(JSON.stringify(proxyCard.args));
  });
});
