import { LauncherModel } from '@jupyterlab/launcher';
import { ISignal, Signal } from '@lumino/signaling';

import { CommandRegistry } from '@lumino/commands';
import { nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import {
  addManageCardCommand,
  MANAGE_CARD_COMMAND,
  manageCards
} from '../../../courses/members/cards';
import { CourseManagementModel } from '../../../courses/members/manage';

const MANAGE = 'hub-groups:manage-course';

/** The groups one manages, changed by hand. */
class FakeManaged {
  groups: readonly string[] = [];
  get changed(): ISignal<this, void> {
    return this._changed;
  }
  set(groups: string[]): void {
    this.groups = groups;
    this._changed.emit();
  }
  private _changed = new Signal<this, void>(this);
}

describe('manageCards', () => {
  let launcher: LauncherModel;
  let managed: FakeManaged;

  const items = () =>
    Array.from(launcher.items()).map(item => [
      item.command,
      item.args,
      item.category,
      item.rank
    ]);

  beforeEach(() => {
    launcher = new LauncherModel();
    managed = new FakeManaged();
  });

  const create = () =>
    manageCards({
      model: managed as unknown as CourseManagementModel,
      launcher,
      command: MANAGE
    });

  it('adds one card per group managed, in the group’s category, after its own cards', () => {
    managed.groups = ['Class1', 'Class2'];
    const cards = create();
    expect(items()).toEqual([
      [MANAGE, { group: 'Class1' }, 'Class1', 100],
      [MANAGE, { group: 'Class2' }, 'Class2', 100]
    ]);
    cards.dispose();
  });

  it('follows the model: a new group gets a card, a group no longer managed loses it, the others stay', () => {
    managed.groups = ['Class1'];
    const cards = create();
    const added = jest.spyOn(launcher, 'add');
    managed.set(['Class1', 'Class2']);
    expect(items().map(i => i[2])).toEqual(['Class1', 'Class2']);
    // Class1's card was not added again.
    expect(added).toHaveBeenCalledTimes(1);
    managed.set(['Class2']);
    expect(items().map(i => i[2])).toEqual(['Class2']);
    managed.set([]);
    expect(items()).toEqual([]);
    cards.dispose();
  });

  it('removes every card when disposed, and stops following (idempotent)', () => {
    managed.groups = ['Class1'];
    const cards = create();
    cards.dispose();
    expect(items()).toEqual([]);
    managed.set(['Class1', 'Class2']);
    expect(items()).toEqual([]);
    expect(() => cards.dispose()).not.toThrow();
    expect(cards.isDisposed).toBe(true);
  });

  it('says how many requests wait, and draws a card again when its count changes', async () => {
    const waiting: Record<string, number> = { Class1: 2 };
    const commands = new CommandRegistry();
    const opened: any[] = [];
    commands.addCommand(MANAGE, { execute: args => opened.push(args) });
    addManageCardCommand(commands, {
      open: MANAGE,
      trans: nullTranslator.load('jupyterlab_hub_groups'),
      icon: new LabIcon({ name: 'test:manage', svgstr: '<svg/>' }),
      waiting: group => waiting[group] ?? 0,
      titleOf: group => (group === 'Class3' ? 'Data Science 1' : group)
    });
    const label = (group: string) =>
      commands.label(MANAGE_CARD_COMMAND, { group });
    expect(label('Class1')).toBe('Manage Class1 · 2 waiting');
    // a course with a title in the YAML file is named by it
    expect(label('Class3')).toBe('Manage Data Science 1');
    expect(commands.caption(MANAGE_CARD_COMMAND, { group: 'Class3' })).toBe(
      'Add and remove the members of Data Science 1'
    );
    expect(commands.caption(MANAGE_CARD_COMMAND, { group: 'Class1' })).toBe(
      'Add and remove the members of Class1; 2 requests to join wait for your decision'
    );
    expect(label('Class2')).toBe('Manage Class2');
    await commands.execute(MANAGE_CARD_COMMAND, { group: 'Class2' });
    expect(opened).toEqual([{ group: 'Class2' }]);

    managed.groups = ['Class1', 'Class2'];
    const cards = manageCards({
      model: managed as unknown as CourseManagementModel,
      launcher,
      command: MANAGE_CARD_COMMAND,
      waiting: group => waiting[group] ?? 0
    });
    const added = jest.spyOn(launcher, 'add');
    cards.update();
    expect(added).not.toHaveBeenCalled();
    // A request decided: Class1's card only is drawn again, with its count.
    waiting.Class1 = 1;
    cards.update();
    expect(added).toHaveBeenCalledTimes(1);
    expect(added.mock.calls[0][0].args).toEqual({ group: 'Class1' });
    expect(label('Class1')).toBe('Manage Class1 · 1 waiting');
    // (the launcher sorts its cards by rank and label)
    expect(
      items()
        .map(i => i[2])
        .sort()
    ).toEqual(['Class1', 'Class2']);
    cards.dispose();
  });
});
