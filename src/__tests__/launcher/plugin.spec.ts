import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { Launcher, LauncherModel } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { dismissDialog, framePromise } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { OPEN_ITEM_COMMAND } from '../../launcher/model';
import { launcherPlugin } from '../../launcher/plugin';
import { FakeGroups } from '../fakes';

const SVG = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"';
const PATH = '<path d="M4 4h16v16H4z"/>';

/** Good items, one of each kind of icon. */
const good = [
  { id: 'plain', label: 'Plain', url: '{base_url}plain/' },
  {
    id: 'percent-width',
    label: 'Percent width',
    url: '{base_url}wide/',
    icon: `<svg ${SVG} width="100%">${PATH}</svg>`
  },
  {
    id: 'percent-title',
    label: 'Percent title',
    url: '{base_url}title/',
    icon: `<svg ${SVG}><title>%3Cimg src="x" onerror="alert(1)"/%3E</title>${PATH}</svg>`
  },
  {
    id: 'markup-label',
    label: '<img src="x" onerror="alert(1)">',
    url: '{base_url}markup/'
  },
  { id: 'hub', label: 'Hub', url: '{hub_prefix}home', target: 'window' },
  { id: 'about', label: 'About', command: 'help:about' }
];

/** Bad items: each is left out, and named. */
const bad = [
  { id: 'not-svg', label: 'Not SVG', url: '/x', icon: '<img src=x>' },
  { id: 'js-url', label: 'JS URL', url: 'javascript:alert(1)' },
  { id: 'slashes', label: 'Slashes', url: '//evil.example/' },
  { id: 'placeholder', label: 'Placeholder', url: '{token}' },
  { id: 'rank', label: 'Rank', url: '/x', rank: 'first' }
];

describe('launcherPlugin', () => {
  let commands: CommandRegistry;
  let model: LauncherModel;
  let warning: jest.SpyInstance;
  let warn: jest.SpyInstance;
  let launcher: Launcher | null = null;

  beforeEach(async () => {
    warning = jest.spyOn(Notification, 'warning');
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    commands = new CommandRegistry();
    commands.addCommand('help:about', { label: 'About', execute: () => 42 });
    const settings = {
      composite: { items: [...bad, ...good], rules: [], kernels: {} },
      changed: new Signal<unknown, unknown>({})
    };
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
      // Outside a hub: items for everyone are shown.
      new FakeGroups('absent'),
      nullTranslator,
      null,
      null,
      null,
      registry
    ) as LauncherModel;
    // The settings are applied in the background, then the model changes.
    await new Promise(resolve => model.stateChanged.connect(resolve));
  });

  afterEach(() => {
    launcher?.dispose();
    launcher = null;
    model.dispose();
    warning.mockRestore();
    warn.mockRestore();
    PageConfig.setOption('hubPrefix', '');
  });

  it('leaves out each bad item and keeps every good one', () => {
    expect(Array.from(model.items()).map(item => item.args?.id)).toEqual(
      good.map(item => item.id)
    );
  });

  it('names the items left out in one notification, and details them in the console', () => {
    expect(warning).toHaveBeenCalledTimes(1);
    const message = warning.mock.calls[0][0] as string;
    for (const item of bad) {
      expect(message).toContain(item.id);
      expect(warn.mock.calls.map(call => call.join(' ')).join('\n')).toContain(
        `"${item.id}"`
      );
    }
  });

  it('renders every good card, however hostile the other items', async () => {
    launcher = new Launcher({
      model,
      cwd: '',
      callback: () => undefined,
      commands,
      translator: nullTranslator
    });
    Widget.attach(launcher, document.body);
    // React renders in the background: wait until the cards are there.
    const cards = () => launcher!.node.querySelectorAll('.jp-LauncherCard');
    for (let frame = 0; frame < 100 && cards().length === 0; frame++) {
      await framePromise();
    }
    const labels = Array.from(cards()).map(
      card => card.querySelector('.jp-LauncherCard-label')?.textContent
    );
    expect(labels.sort()).toEqual(good.map(item => item.label).sort());
    for (const card of Array.from(cards())) {
      expect(card.querySelector('.jp-LauncherCard-icon svg')).not.toBeNull();
    }
    // The label with markup is text, and no element came of any payload.
    expect(launcher.node.querySelector('img')).toBeNull();
  });

  it('the item command never throws for its label, caption or icon', () => {
    const strange = [
      {},
      { id: 'gone' },
      { id: Object.create(null) },
      { id: ['plain'] }
    ] as any[];
    for (const args of strange) {
      expect(() => commands.label(OPEN_ITEM_COMMAND, args)).not.toThrow();
      expect(() => commands.caption(OPEN_ITEM_COMMAND, args)).not.toThrow();
      expect(() => commands.icon(OPEN_ITEM_COMMAND, args)).not.toThrow();
    }
    expect(commands.label(OPEN_ITEM_COMMAND, { id: 'plain' })).toBe('Plain');
  });

  it('does nothing for an item that was left out', async () => {
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    try {
      expect(
        await commands.execute(OPEN_ITEM_COMMAND, { id: 'js-url' })
      ).toBeUndefined();
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });

  it('still checks the URL on click, with the page as it is then', async () => {
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    try {
      PageConfig.setOption('hubPrefix', '//evil.example/');
      await commands.execute(OPEN_ITEM_COMMAND, { id: 'hub' });
      expect(open).not.toHaveBeenCalled();
      expect(document.querySelector('.jp-Dialog')?.textContent).toContain(
        'another site'
      );
      await dismissDialog();
    } finally {
      open.mockRestore();
    }
  });
});

describe('launcherPlugin on someone else’s server', () => {
  // What the admin ships (overrides.json), as Jupyter Server gives it: the
  // schema's defaults.
  const shipped = [
    { id: 'project-app', label: 'Project app', url: '{base_url}proxy/8050/' },
    { id: 'first', label: 'First', url: '{base_url}first/', rank: 0 },
    { id: 'vax-server', label: "vax's server", url: '/user/vax/lab' },
    {
      id: 'my-server',
      label: 'My server',
      url: '{hub_prefix}user-redirect/lab'
    }
  ];
  // What a member of the project wrote into the account's user settings.
  const written = {
    items: [
      { id: 'member-card', label: 'Member card', url: '{base_url}member/' }
    ],
    rules: [],
    kernels: {}
  };
  let commands: CommandRegistry;
  let model: LauncherModel;
  let settings: any;
  let warning: jest.SpyInstance;
  let warn: jest.SpyInstance;

  async function activate(page: { [key: string]: string }): Promise<void> {
    for (const [key, value] of Object.entries(page)) {
      PageConfig.setOption(key, value);
    }
    commands = new CommandRegistry();
    settings = {
      composite: written,
      schema: {
        type: 'object',
        properties: {
          items: { type: 'array', default: shipped },
          rules: { type: 'array', default: [] },
          kernels: { type: 'object', default: {} }
        }
      }
    };
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
    const groups = new FakeGroups('ready');
    groups.user = {
      name: 'vex',
      displayName: 'vex',
      serverOwner: 'vox-collab'
    };
    model = launcherPlugin.activate(
      app,
      groups,
      nullTranslator,
      null,
      null,
      null,
      registry
    ) as LauncherModel;
    await new Promise(resolve => model.stateChanged.connect(resolve));
  }

  const shown = () => Array.from(model.items()).map(item => item.args?.id);

  beforeEach(() => {
    warning = jest.spyOn(Notification, 'warning');
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest
      .spyOn(window, 'location', 'get')
      .mockReturnValue(
        new URL('http://127.0.0.1:8000/user/vox-collab/lab') as any
      );
  });

  afterEach(() => {
    model.dispose();
    jest.restoreAllMocks();
    for (const key of ['hubPrefix', 'hubUser', 'hubServerUser', 'baseUrl']) {
      PageConfig.setOption(key, '');
    }
  });

  it("shows the admin's items only, never the account's user settings, and none leading into another server", async () => {
    await activate({
      hubPrefix: '/hub/',
      hubUser: 'vex',
      hubServerUser: 'vox-collab',
      baseUrl: 'http://127.0.0.1:8000/user/vox-collab/'
    });
    expect(shown()).toEqual(['project-app', 'first']);
    // rank 0 as shipped (settings.default() would have lost it)
    expect(
      Array.from(model.items()).find(item => item.args?.id === 'first')?.rank
    ).toBe(0);
    const named = warn.mock.calls.map(call => call.join(' ')).join('\n');
    expect(named).toContain('"vax-server" left out');
    expect(named).toContain('"my-server" left out');
    expect(named).toContain('on this shared server');
    expect(warning.mock.calls[0][0]).toContain('vax-server');

    // A member changes the user settings again: nothing changes, nothing
    // is said again.
    settings.composite = {
      items: [{ id: 'other', label: 'Other', url: '{base_url}other/' }]
    };
    settings.changed.emit(undefined);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(shown()).toEqual(['project-app', 'first']);
    expect(warning).toHaveBeenCalledTimes(1);
  });

  it('counts a page that does not say whose server it is as someone else’s', async () => {
    await activate({ hubPrefix: '/hub/', hubUser: 'vex', hubServerUser: '' });
    expect(shown()).not.toContain('member-card');
  });

  it("uses the user's own settings on their own server", async () => {
    await activate({
      hubPrefix: '/hub/',
      hubUser: 'vox-collab',
      hubServerUser: 'vox-collab'
    });
    expect(shown()).toEqual(['member-card']);
  });
});
