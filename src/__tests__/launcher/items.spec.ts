import {
  itemIcon,
  readLauncherSettings,
  readLauncherSettingsInSlices
} from '../../launcher/items';
import { context, origin, P, SVG_NS, XSS } from '../fakes';

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

describe('many items', () => {
  const icon = (n: number) =>
    `<svg xmlns="${SVG_NS}" viewBox="0 0 ${n} ${n}">${P}</svg>`;
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: `item-${i}`,
    label: `Item ${i}`,
    url: `/x/${i}`,
    // four distinct icons among forty items, and one bad item in ten
    icon: i % 10 === 9 ? XSS : icon(i % 4)
  }));

  it('gives items with the same SVG one LabIcon, sanitized once', () => {
    const parse = jest.spyOn(DOMParser.prototype, 'parseFromString');
    try {
      const { icons, problems } = readLauncherSettings(
        { items } as any,
        context,
        origin
      );
      expect(problems.map(p => p.subject)).toEqual([
        'item-9',
        'item-19',
        'item-29',
        'item-39'
      ]);
      expect(icons.get('item-0')).toBe(icons.get('item-4'));
      expect(icons.get('item-0')).not.toBe(icons.get('item-1'));
      expect(new Set(icons.values()).size).toBe(4);
      // the sanitizer and LabIcon parse each distinct SVG a few times, not
      // each of the 40 items
      const calls = parse.mock.calls.filter(([text]) =>
        String(text).includes('viewBox')
      ).length;
      expect(calls).toBeLessThan(4 * 4);
    } finally {
      parse.mockRestore();
    }
  });

  it('reads in slices that yield, with the same result as at once', async () => {
    const timeout = jest.spyOn(window, 'setTimeout');
    try {
      const sliced = await readLauncherSettingsInSlices(
        { items } as any,
        context,
        origin,
        0
      );
      const atOnce = readLauncherSettings({ items } as any, context, origin);
      expect(sliced.settings.items.map(i => i.id)).toEqual(
        atOnce.settings.items.map(i => i.id)
      );
      expect(sliced.problems).toEqual(atOnce.problems);
      // a zero budget yields after every item
      expect(timeout.mock.calls.length).toBeGreaterThanOrEqual(
        items.length - 1
      );
    } finally {
      timeout.mockRestore();
    }
  });
});
