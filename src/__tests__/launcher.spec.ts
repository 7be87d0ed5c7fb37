import { ILauncher } from '@jupyterlab/launcher';
import { Signal } from '@lumino/signaling';

import {
  allRules,
  expandUrl,
  HubGroupsLauncherModel,
  IUrlContext,
  OPEN_ITEM_COMMAND,
  readLauncherSettings,
  ruleMatches,
  sanitizeSvg
} from '../launcher';
import { IHubGroups } from '../tokens';

/**
 * A groups service whose answer the test sets.
 */
class FakeGroups implements IHubGroups {
  status: IHubGroups.Status = 'loading';
  user: IHubGroups.IUser | null = null;
  groups: ReadonlySet<string> = new Set();
  lastUpdated: Date | null = null;
  error: string | null = null;
  changed: Signal<IHubGroups, void> = new Signal<IHubGroups, void>(this);
  ready = Promise.resolve();
  isMemberOfAny(groups: readonly string[]): boolean {
    if (this.status !== 'ready' && this.status !== 'stale') {
      return false;
    }
    return groups.length === 0 || groups.some(g => this.groups.has(g));
  }
  refresh(): Promise<void> {
    return Promise.resolve();
  }
  answer(status: IHubGroups.Status, groups: string[]): void {
    this.status = status;
    this.groups = new Set(groups);
    this.changed.emit();
  }
}

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

const context: IUrlContext = {
  baseUrl: '/user/vex/',
  hubPrefix: '/hub/',
  hubHost: '',
  user: 'vex',
  serverUser: 'vox-collab'
};
const origin = 'http://127.0.0.1:8000/user/vex/lab';

describe('expandUrl', () => {
  it('fills the placeholders', () => {
    expect(expandUrl('{base_url}proxy/8050/', context, origin)).toBe(
      '/user/vex/proxy/8050/'
    );
    expect(
      expandUrl(
        '{hub_host}{hub_prefix}spawn/{server_user}?for={user}',
        context,
        origin
      )
    ).toBe('/hub/spawn/vox-collab?for=vex');
  });

  it('URL-encodes the values', () => {
    const hostile = {
      ...context,
      user: 'a b/../<img>&x=1',
      baseUrl: '/user/é v/'
    };
    expect(expandUrl('{base_url}?u={user}', hostile, origin)).toBe(
      '/user/%C3%A9%20v/?u=a%20b%2F..%2F%3Cimg%3E%26x%3D1'
    );
  });

  it('keeps a hub host only when it is an http(s) origin', () => {
    expect(
      expandUrl(
        '{hub_host}/x',
        { ...context, hubHost: 'https://hub.example' },
        origin
      )
    ).toBe('https://hub.example/x');
    expect(
      expandUrl(
        '{hub_host}/x',
        { ...context, hubHost: 'javascript:alert(1)//' },
        origin
      )
    ).toBe('/x');
  });

  // Schemes other than http(s), however they are spelt: the URL parser
  // ignores case, tabs and newlines anywhere, and leading spaces and
  // control characters.
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['mixed case', 'JaVaScRiPt:alert(1)'],
    ['a tab inside', 'java\tscript:alert(1)'],
    ['a newline inside', 'java\nscript:alert(1)'],
    ['a leading space', ' javascript:alert(1)'],
    ['a leading control character', '\u0001javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a data: SVG', 'data:image/svg+xml;base64,PHN2Zy8+'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd']
  ])('refuses a scheme: %s', (_, url) => {
    expect(() => expandUrl(url, context, origin)).toThrow(
      /only http\(s\) and relative URLs/
    );
  });

  // "Relative" URLs that the browser opens on another site.
  it.each([
    ['two slashes', '//evil.example/x'],
    ['two backslashes', '\\\\evil.example\\x'],
    ['slash, backslash', '/\\evil.example/x'],
    ['backslash, slash', '\\/evil.example/x'],
    ['a leading tab', '\t//evil.example/x'],
    ['a tab between the slashes', '/\t/evil.example/x'],
    ['a newline between the slashes', '/\n/evil.example/x'],
    ['a leading space', ' //evil.example/x'],
    ['a leading control character', '\u001f//evil.example/x'],
    ['a slash before {base_url}', '/{base_url}x']
  ])('refuses a URL that opens another site: %s', (_, url) => {
    expect(() => expandUrl(url, context, origin)).toThrow(
      /write an absolute https:\/\/ URL instead/
    );
  });

  it('refuses a base URL that would open another site', () => {
    expect(() =>
      expandUrl(
        '{base_url}x',
        { ...context, baseUrl: '//evil.example/' },
        origin
      )
    ).toThrow(/another site/);
  });

  it.each([
    'https://docs.example/x',
    'http://x.example',
    'HTTPS://X.EXAMPLE/',
    'relative/path',
    './x',
    '../x',
    '/abs',
    '?q=1',
    '#frag'
  ])('accepts %s', url => {
    expect(expandUrl(url, context, origin)).toBe(url);
  });

  // User names come from the hub: whatever they hold stays inside one
  // path segment or query value.
  it.each([
    ['a/b', '/user/vex/files/a%2Fb?u=a%2Fb'],
    ['who?', '/user/vex/files/who%3F?u=who%3F'],
    ['a#b', '/user/vex/files/a%23b?u=a%23b'],
    ['100%', '/user/vex/files/100%25?u=100%25'],
    ['%2e%2e', '/user/vex/files/%252e%252e?u=%252e%252e']
  ])('keeps the user name %s in its segment', (user, url) => {
    expect(
      expandUrl('{base_url}files/{user}?u={user}', { ...context, user }, origin)
    ).toBe(url);
  });

  it.each(['..', '.'])(
    'refuses the user name %s, which would change the path',
    user => {
      expect(() =>
        expandUrl('{base_url}files/{user}/x', { ...context, user }, origin)
      ).toThrow(/cannot be put in a URL/);
    }
  );

  it('names an unknown placeholder', () => {
    expect(() => expandUrl('{token}', context, origin)).toThrow(
      'Unknown placeholder {token}'
    );
  });
});

describe('sanitizeSvg', () => {
  it('keeps shapes and drops scripts, handlers, foreign content and external links', () => {
    const svg = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 24 24">' +
        '<script>alert(2)</script>' +
        '<foreignObject><div>x</div></foreignObject>' +
        '<path d="M0 0h24v24H0z" onclick="alert(3)" style="fill:url(http://evil)"/>' +
        '<a href="javascript:alert(4)"><circle r="1"/></a>' +
        '<use xlink:href="http://evil/x.svg#a"/><use href="#local"/>' +
        '</svg>'
    )!;
    expect(svg).toContain('<path d="M0 0h24v24H0z"');
    expect(svg).toContain('viewBox="0 0 24 24"');
    expect(svg).toContain('href="#local"');
    for (const bad of [
      'script',
      'alert',
      'onload',
      'onclick',
      'foreignObject',
      'evil',
      'style=',
      '<a'
    ]) {
      expect(svg).not.toContain(bad);
    }
  });

  it('refuses what is not an SVG', () => {
    expect(sanitizeSvg('<img src=x onerror=alert(1)>')).toBeNull();
    expect(sanitizeSvg('<html><body/></html>')).toBeNull();
    expect(sanitizeSvg('not markup')).toBeNull();
  });
});

describe('readLauncherSettings', () => {
  it('keeps valid items and rules and says what it left out', () => {
    const { settings, problems } = readLauncherSettings({
      items: [
        { id: 'a', label: 'A', url: '/a' },
        { id: 'a', label: 'A again', url: '/a' },
        { id: 'b', label: 'B' },
        { id: 'c', label: 'C', url: '/c', command: 'x' },
        { label: 'no id', url: '/d' },
        { id: 'e', label: 'E', command: 'help:about', groups: 'staff' }
      ],
      rules: [{ command: 'x', groups: ['g'] }, { command: 'y' }],
      kernels: { r: ['stats'], bad: 'stats' }
    });
    expect(settings.items.map(i => i.id)).toEqual(['a']);
    expect(settings.rules).toHaveLength(1);
    expect(settings.kernels).toEqual({ r: ['stats'] });
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).toContain('the id "a" is used twice');
    expect(problems.join('\n')).toContain('either a "url" or a "command"');
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
    groups.answer('error', []);
    expect(renders).toEqual([6, 2, 1]);
  });

  it('keeps cards for a stale answer, and drops them on error', () => {
    groups.answer('stale', ['Class1234_Semester02']);
    expect(Array.from(model.items())).toHaveLength(6);
    groups.answer('error', []);
    expect(Array.from(model.items())).toHaveLength(1);
  });

  it('outside a hub, shows cards meant for everyone and nothing gated', () => {
    groups.answer('no-hub', []);
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
