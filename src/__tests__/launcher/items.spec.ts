import { ILauncher } from '@jupyterlab/launcher';
import { LabIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';

import {
  allRules,
  expandUrl,
  HubGroupsLauncherModel,
  IUrlContext,
  OPEN_ITEM_COMMAND,
  readLauncherSettings,
  ruleMatches,
  itemIcon,
  labIconSvgstr,
  sanitizeSvg
} from '../../launcher/items';
import { IHubGroups } from '../../tokens';

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

const SVG_NS = 'http://www.w3.org/2000/svg';
const S = `<svg xmlns="${SVG_NS}" viewBox="0 0 24 24">`;
const P = '<path d="M0 0h24v24H0z"/>';
const XSS = '<img src="x" onerror="alert(1)"/>';

/**
 * What JupyterLab renders for an icon: LabIcon parses the svgstr (after
 * its own `svgstrShim`: URI decoding, whitespace, data URLs) and React
 * puts the element's markup into an `<svg>` of the page, parsed as HTML.
 */
function renderLikeLabIcon(svgstr: string): {
  element: Element;
  html: DocumentFragment;
} {
  const element = LabIcon.resolveSvg({ name: 'test:hostile', svgstr });
  expect(element).not.toBeNull();
  expect(element!.localName).toBe('svg');
  expect(element!.namespaceURI).toBe(SVG_NS);
  const template = document.createElement('template');
  template.innerHTML = `<svg>${element!.innerHTML}</svg>`;
  return { element: element!, html: template.content };
}

/**
 * Whatever in a rendered icon could run script or load something: any
 * element outside the SVG namespace, any `on*` attribute, any link that
 * is not a fragment of the icon itself.
 */
function unsafeParts(root: Element | DocumentFragment): string[] {
  const found: string[] = [];
  const elements =
    root instanceof Element
      ? [root, ...Array.from(root.querySelectorAll('*'))]
      : Array.from(root.querySelectorAll('*'));
  for (const element of elements) {
    if (element.namespaceURI !== SVG_NS) {
      found.push(`<${element.localName}> in ${element.namespaceURI}`);
    }
    if (
      ['script', 'foreignObject', 'style', 'image', 'a'].includes(
        element.localName
      )
    ) {
      found.push(`<${element.localName}>`);
    }
    for (const attr of Array.from(element.attributes)) {
      if (/^on/i.test(attr.localName)) {
        found.push(`${attr.name} on <${element.localName}>`);
      }
      if (/href$/i.test(attr.localName) && !attr.value.startsWith('#')) {
        found.push(`${attr.name}="${attr.value}"`);
      }
      if (/(script|data)\s*:|url\(\s*['"]?(?!#)/i.test(attr.value)) {
        found.push(`${attr.name}="${attr.value}"`);
      }
    }
  }
  return found;
}

describe('labIconSvgstr: what LabIcon gets for an SVG icon', () => {
  type Check = (element: Element) => void;
  const title =
    (text: string): Check =>
    element =>
      expect(element.querySelector('title')?.textContent).toBe(text);
  const kept =
    (selector: string): Check =>
    element =>
      expect(element.querySelector(selector)).not.toBeNull();

  it.each<[string, string, Check?]>([
    [
      'width="100%" (a % LabIcon would URI-decode)',
      `<svg xmlns="${SVG_NS}" width="100%" height="100%">${P}</svg>`,
      element => expect(element.getAttribute('width')).toBe('100%')
    ],
    ['a lone % in text', `${S}<title>%</title>${P}</svg>`, title('%')],
    [
      'a broken escape %E0%A4%A',
      `${S}<title>%E0%A4%A</title>${P}</svg>`,
      title('%E0%A4%A')
    ],
    [
      'percent-encoded markup %3Cimg…%3E in a title',
      `${S}<title>%3Cimg src="x" onerror="alert(1)"/%3E</title>${P}</svg>`,
      title('%3Cimg src="x" onerror="alert(1)"/%3E')
    ],
    [
      'double percent-encoding %253C',
      `${S}<title>%253Cimg src=x onerror=alert(1)%253E</title>${P}</svg>`,
      title('%253Cimg src=x onerror=alert(1)%253E')
    ],
    [
      'entities &lt; &gt;',
      `${S}<title>&lt;img src=x onerror=alert(1)&gt;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'decimal references &#60;',
      `${S}<title>&#60;img src=x onerror=alert(1)&#62;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'hex references &#x3c;',
      `${S}<title>&#x3c;img src=x onerror=alert(1)&#x3e;</title>${P}</svg>`,
      title('<img src=x onerror=alert(1)>')
    ],
    [
      'an XHTML element by prefix (html:img)',
      `${S}<html:img xmlns:html="http://www.w3.org/1999/xhtml" src="x" onerror="alert(1)"/>${P}</svg>`,
      kept('path')
    ],
    [
      'the default namespace switched on a child',
      `${S}<g xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/><title>t</title></g>${P}</svg>`,
      kept('path')
    ],
    [
      'an XHTML title',
      `${S}<title xmlns="http://www.w3.org/1999/xhtml">&lt;img src=x onerror=alert(1)&gt;</title>${P}</svg>`,
      kept('path')
    ],
    [
      'SVG by a prefix of its own',
      `<s:svg xmlns:s="${SVG_NS}"><s:path d="M0 0h1v1z"/></s:svg>`,
      kept('path')
    ],
    [
      'foreignObject',
      `${S}<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">${XSS}</div></foreignObject>${P}</svg>`,
      kept('path')
    ],
    ['script', `${S}<script>alert(1)</script>${P}</svg>`, kept('path')],
    [
      'style',
      `${S}<style>path{fill:url(http://evil.example/x)}</style>${P}</svg>`,
      kept('path')
    ],
    [
      'on* handlers in any case',
      `<svg xmlns="${SVG_NS}" onload="alert(1)" ONLOAD="alert(2)"><path d="M0 0" OnClick="alert(3)" onMouseOver="alert(4)"/></svg>`,
      kept('path')
    ],
    [
      'href and xlink:href to javascript:, data: and another site',
      `<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink"><use href="javascript:alert(1)"/><use xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/><use href="https://evil.example/x.svg#a"/><use xlink:href="#local"/>${P}</svg>`,
      element =>
        expect(
          element
            .querySelector('use:last-of-type')
            ?.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
        ).toBe('#local')
    ],
    [
      'use of an external file',
      `${S}<use href="sprites.svg#icon"/>${P}</svg>`,
      kept('path')
    ],
    [
      'a, image, animate and set',
      `${S}<a href="javascript:alert(1)">${P}</a><image href="x.png"/><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/>${P}</svg>`,
      kept('path')
    ],
    [
      'url() to another site in a presentation attribute',
      `${S}<path d="M0 0" fill="url(https://evil.example/#g)" stroke="url(#g)"/></svg>`,
      element => {
        expect(element.querySelector('path')?.hasAttribute('fill')).toBe(false);
        expect(element.querySelector('path')?.getAttribute('stroke')).toBe(
          'url(#g)'
        );
      }
    ],
    [
      'CDATA that closes early in HTML',
      `${S}<title><![CDATA[><img src="x" onerror="alert(1)">]]></title>${P}</svg>`,
      kept('path')
    ],
    [
      'a comment that closes early in HTML (<!-->)',
      `${S}<!--><img src="x" onerror="alert(1)">-->${P}</svg>`,
      kept('path')
    ],
    [
      'a processing instruction',
      `${S}<?x ><img src="x" onerror="alert(1)">?>${P}</svg>`,
      kept('path')
    ],
    [
      'markup inside a title',
      `${S}<title>a<path onclick="alert(1)"/>b</title>${P}</svg>`,
      element =>
        expect(element.querySelector('title')?.children).toHaveLength(0)
    ],
    ['\\r in text', `${S}<title>a&#13;b</title>${P}</svg>`, kept('path')],
    [
      'U+2028 in text',
      `${S}<title>a\u2028b</title>${P}</svg>`,
      title('a\u2028b')
    ],
    [
      'U+2029 in an attribute',
      `${S}<path d="M0 0" aria-label="a\u2029b"/></svg>`,
      element =>
        expect(element.querySelector('path')?.getAttribute('aria-label')).toBe(
          'a\u2029b'
        )
    ],
    [
      'unicode text and attributes',
      `${S}<title>café 😀 中文</title><path d="M0 0" aria-label="ü😀"/></svg>`,
      element => {
        title('café 😀 中文')(element);
        expect(element.querySelector('path')?.getAttribute('aria-label')).toBe(
          'ü😀'
        );
      }
    ],
    [
      'a nested svg with a handler',
      `${S}<svg onload="alert(1)">${P}</svg></svg>`,
      kept('svg path')
    ],
    [
      'an XML declaration and a DOCTYPE, as editors write them',
      `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${S}${P}</svg>`,
      kept('path')
    ],
    [
      'an attribute name that is not ASCII',
      `${S}<path d="M0 0" dé="1"/></svg>`,
      kept('path')
    ]
  ])('renders safely: %s', (_, svg, check) => {
    const svgstr = labIconSvgstr(svg);
    expect(svgstr).not.toBeNull();
    const { element, html } = renderLikeLabIcon(svgstr!);
    // LabIcon parses exactly what the sanitizer let through.
    expect(new XMLSerializer().serializeToString(element)).toBe(
      sanitizeSvg(svg)
    );
    expect(unsafeParts(element)).toEqual([]);
    expect(unsafeParts(html)).toEqual([]);
    check?.(element);
  });

  it.each([
    ['markup that is not SVG', XSS],
    ['HTML', '<html><body/></html>'],
    ['text', 'not markup'],
    [
      'an svg in the XHTML namespace',
      `<svg xmlns="http://www.w3.org/1999/xhtml">${XSS}</svg>`
    ],
    ['an svg in no namespace', `<svg>${P}</svg>`],
    [
      'a base64 data: URL given as the icon',
      `data:image/svg+xml;base64,${btoa(`<svg xmlns="${SVG_NS}" onload="alert(1)"/>`)}`
    ],
    [
      'a percent-encoded SVG given as the icon',
      encodeURIComponent(`<svg xmlns="${SVG_NS}" onload="alert(1)"/>`)
    ],
    [
      'an internal entity holding markup',
      `<!DOCTYPE svg [<!ENTITY x "<img src='x' onerror='alert(1)'/>">]><svg xmlns="${SVG_NS}"><title>&x;</title></svg>`
    ],
    ['an icon too large to be one', `${S}${P.repeat(20_000)}</svg>`]
  ])('refuses %s', (_, svg) => {
    expect(labIconSvgstr(svg)).toBeNull();
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
        '<linearGradient id="g"><stop offset="0"/></linearGradient>' +
        '</svg>'
    )!;
    expect(svg).toContain('<path d="M0 0h24v24H0z"');
    expect(svg).toContain('viewBox="0 0 24 24"');
    expect(svg).toContain('href="#local"');
    expect(svg).toContain('<linearGradient id="g"><stop offset="0"/>');
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

describe('itemIcon', () => {
  it('renders an SVG icon with width="100%" as an svg element', () => {
    const icon = itemIcon({
      id: 'wide',
      label: 'Wide',
      url: '/x',
      icon: `<svg xmlns="${SVG_NS}" width="100%">${P}</svg>`
    });
    const element = icon.element();
    expect(element.querySelector('svg path')).not.toBeNull();
  });

  it('gives the link icon to an item without one, and resolves names', () => {
    expect(itemIcon({ id: 'a', label: 'A', url: '/a' }).name).toBe(
      'ui-components:link'
    );
    expect(
      itemIcon({
        id: 'a',
        label: 'A',
        url: '/a',
        icon: 'ui-components:jupyter'
      }).name
    ).toBe('ui-components:jupyter');
  });

  it.each([
    ['not an SVG', XSS],
    [
      'a data: URL',
      `data:image/svg+xml;base64,${btoa(`<svg xmlns="${SVG_NS}"/>`)}`
    ],
    ['a name with markup', 'ui-components:<img src=x>']
  ])('refuses an icon that is %s, with a reason', (_, icon) => {
    expect(() =>
      itemIcon({ id: 'bad', label: 'Bad', url: '/x', icon })
    ).toThrow(/icon/);
  });
});

describe('readLauncherSettings', () => {
  const read = (items: unknown[]) =>
    readLauncherSettings({ items } as any, context, origin);

  it('keeps valid items and rules and says what it left out', () => {
    const { settings, problems } = readLauncherSettings(
      {
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
      },
      context,
      origin
    );
    expect(settings.items.map(i => i.id)).toEqual(['a']);
    expect(settings.rules).toHaveLength(1);
    expect(settings.kernels).toEqual({ r: ['stats'] });
    expect(problems).toHaveLength(7);
    const messages = problems.map(p => p.message).join('\n');
    expect(messages).toContain('the id "a" is used twice');
    expect(messages).toContain('either a "url" or a "command"');
    expect(problems.map(p => p.subject)).toEqual([
      'a',
      'b',
      'c',
      'items[4]',
      'e',
      'rules[1]',
      'kernels.bad'
    ]);
  });

  const good = { label: 'Good', url: '{base_url}x' };
  it.each<[string, object, RegExp]>([
    ['a rank that is not a number', { rank: 'first' }, /rank/],
    ['a target other than tab or window', { target: 'popup' }, /target/],
    [
      'args that are a list',
      { url: undefined, command: 'x', args: [] },
      /args/
    ],
    [
      'args that are text',
      { url: undefined, command: 'x', args: 'a=1' },
      /args/
    ],
    ['an empty label', { label: ' ' }, /label/],
    ['a label far too long', { label: 'x'.repeat(1_000) }, /label/],
    ['a caption that is not text', { caption: 1 }, /caption/],
    ['a category that is not text', { category: {} }, /category/],
    ['groups that are not a list of names', { groups: [1] }, /groups/],
    ['an unknown placeholder', { url: '{base_url}?t={token}' }, /\{token\}/],
    ['a javascript: URL', { url: 'javascript:alert(1)' }, /only http\(s\)/],
    ['a // URL', { url: '//evil.example/' }, /absolute https:\/\//],
    ['a \\\\ URL', { url: '\\\\evil.example' }, /absolute https:\/\//],
    ['an icon that is not an SVG', { icon: XSS }, /not an SVG/],
    [
      'an icon that is a data: URL',
      { icon: 'data:image/svg+xml;base64,PHN2Zy8+' },
      /icon/
    ],
    ['an icon that is not text', { icon: 42 }, /icon/]
  ])('leaves out, and names, an item with %s', (_, bad, reason) => {
    const { settings, problems } = read([
      { id: 'before', ...good },
      { id: 'bad', ...good, ...bad },
      { id: 'after', ...good }
    ]);
    expect(settings.items.map(i => i.id)).toEqual(['before', 'after']);
    expect(problems).toHaveLength(1);
    expect(problems[0].subject).toBe('bad');
    expect(problems[0].message).toMatch(reason);
  });

  it('keeps an icon with % and gives each item its icon', () => {
    const { settings, icons, problems } = read([
      {
        id: 'wide',
        ...good,
        icon: `<svg xmlns="${SVG_NS}" width="100%">${P}</svg>`
      },
      { id: 'plain', ...good }
    ]);
    expect(problems).toEqual([]);
    expect(settings.items.map(i => i.id)).toEqual(['wide', 'plain']);
    expect(
      icons.get('wide')?.element().querySelector('svg path')
    ).not.toBeNull();
    expect(icons.get('plain')?.name).toBe('ui-components:link');
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
