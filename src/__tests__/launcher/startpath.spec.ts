/**
 * What the launcher loads at start: the modules that read our own items
 * (registry, items, SVG, URLs) only once the settings hold something of
 * ours.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { LauncherModel } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import { OPEN_ITEM_COMMAND } from '../../launcher/model';
import { launcherPlugin } from '../../launcher/plugin';
import { holdsAnything } from '../../launcher/settings';
import { FakeGroups } from '../fakes';

let mockLoads = 0;
jest.mock('../../launcher/registry', () => {
  mockLoads++;
  return jest.requireActual('../../launcher/registry');
});

/** Let the background work (settings, a module load) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}

describe('the launcher at start', () => {
  let settings: { composite: any; changed: Signal<unknown, unknown> };
  let commands: CommandRegistry;
  let model: LauncherModel;

  beforeEach(() => {
    mockLoads = 0;
    commands = new CommandRegistry();
    settings = {
      composite: { items: [], rules: [], kernels: {} }
    } as any;
    // As the registry's: the settings send their own changes.
    settings.changed = new Signal<unknown, unknown>(settings);
    const registry = {
      load: () => Promise.resolve(settings)
    } as unknown as ISettingRegistry;
    const app = {
      commands,
      shell: { widgets: () => [][Symbol.iterator](), add: () => undefined },
      restored: Promise.resolve(),
      serviceManager: { user: { identity: null } }
    } as unknown as JupyterFrontEnd;
    model = launcherPlugin.activate(
      app,
      new FakeGroups('absent'),
      nullTranslator,
      null,
      null,
      null,
      registry
    ) as LauncherModel;
  });

  afterEach(() => model.dispose());

  it('loads nothing that reads items while the settings hold none', async () => {
    await settle();
    expect(mockLoads).toBe(0);
    // The item command is there, saying nothing, for no card.
    expect(commands.label(OPEN_ITEM_COMMAND, { id: 'x' })).toBe('');
    expect(Array.from(model.items())).toHaveLength(0);
  });

  it('loads it once the settings hold an item, and shows the card', async () => {
    await settle();
    settings.composite = {
      items: [{ id: 'docs', label: 'Docs', url: '/docs/' }],
      rules: [],
      kernels: {}
    };
    settings.changed.emit(undefined);
    await settle();
    expect(mockLoads).toBe(1);
    expect(Array.from(model.items()).map(item => item.args?.id)).toEqual([
      'docs'
    ]);
    expect(commands.label(OPEN_ITEM_COMMAND, { id: 'docs' })).toBe('Docs');
  });
});

describe('holdsAnything', () => {
  it.each([
    [{}, false],
    [{ items: [], rules: [], kernels: {} }, false],
    [{ items: [{ id: 'a' }] }, true],
    [{ rules: [{ command: '*', groups: [] }] }, true],
    [{ kernels: { python3: ['staff'] } }, true],
    [{ items: 'a', kernels: null }, false]
  ])('%j: %s', (composite, expected) => {
    expect(holdsAnything(composite as any)).toBe(expected);
  });
});
