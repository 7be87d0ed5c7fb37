import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { HubGroupsLauncherModel } from '../../launcher/model';
import { LauncherItems } from '../../launcher/registry';
import { context, FakeGroups, P, S } from '../fakes';

describe('LauncherItems', () => {
  let model: HubGroupsLauncherModel;
  let items: LauncherItems;

  beforeEach(() => {
    const groups = new FakeGroups('absent');
    model = new HubGroupsLauncherModel(groups);
    items = new LauncherItems({
      model,
      commands: new CommandRegistry(),
      shell: { add: () => undefined } as any,
      trans: nullTranslator.load('jupyterlab_hub_groups'),
      urlContext: () => context,
      groups
    });
  });

  afterEach(() => {
    items.dispose();
    model.dispose();
  });

  const ids = () => Array.from(model.items()).map(item => item.args?.id);
  const many = (prefix: string, n: number) => ({
    items: Array.from({ length: n }, (_, i) => ({
      id: `${prefix}-${i}`,
      label: `${prefix} ${i}`,
      url: `/${prefix}/${i}`,
      icon: `${S}${P}</svg>`
    }))
  });

  it('applies the newest settings when they change while items are read', async () => {
    const first = items.update(many('old', 300));
    const second = items.update(many('new', 2));
    await Promise.all([first, second]);
    expect(ids()).toEqual(['new-0', 'new-1']);
  });

  it('adds again only the cards whose item changed, removes the ones gone', async () => {
    const added: unknown[] = [];
    const add = model.add.bind(model);
    jest.spyOn(model, 'add').mockImplementation(options => {
      added.push(options.args?.id);
      return add(options);
    });
    await items.update(many('item', 3));
    expect(added).toEqual(['item-0', 'item-1', 'item-2']);
    const changed = many('item', 2);
    changed.items[1].label = 'renamed';
    await items.update(changed);
    expect(added).toEqual(['item-0', 'item-1', 'item-2', 'item-1']);
    expect(ids().sort()).toEqual(['item-0', 'item-1']);
  });

  it('signals changed items, and removes every card when disposed', async () => {
    let changes = 0;
    items.changed.connect(() => changes++);
    await items.update(many('item', 2));
    expect(changes).toBe(1);
    items.dispose();
    expect(ids()).toEqual([]);
  });

  it('adds every card of hundreds of items', async () => {
    await items.update(many('item', 300));
    expect(ids()).toHaveLength(300);
  });
});
