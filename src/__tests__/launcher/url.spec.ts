import { expandUrl } from '../../launcher/url';
import { context, origin } from '../fakes';

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

describe('expandUrl on someone else’s server', () => {
  // vex on the collaboration account's server: every server of the hub is
  // on one origin, and the account's code could read another one opened
  // inside this page.
  const shared = {
    ...context,
    baseUrl: '/user/vox-collab/',
    serverUser: 'vox-collab',
    sharedServer: true
  };
  const here = 'http://127.0.0.1:8000/user/vox-collab/lab';

  it.each([
    ["another user's server", '/user/vax/lab'],
    ["another user's proxied app", '/user/vax/proxy/8050/'],
    ['the user’s own server', '/user/{user}/lab'],
    ['the same, absolute', 'http://127.0.0.1:8000/user/vax/tree'],
    ['the same, on the hub host', '{hub_host}/user/vax/'],
    ['a name that only starts like this one', '/user/vox-collab2/lab'],
    ['a folded slash', '/user//vax/lab'],
    ['a dot segment', '{base_url}../vax/lab'],
    ['an escaped name', '/user/%76ax/lab'],
    ['an escaped slash', '/user%2Fvax/lab'],
    ['upper case', '/USER/vax/lab'],
    ['an escape that does not decode', '/user/%E0%A4%A/lab'],
    ['the hub’s route into a server', '{hub_prefix}user/vax/lab'],
    ['the hub’s redirect to one’s own', '{hub_prefix}user-redirect/lab'],
    ['the same, from the root', '/user-redirect/lab'],
    ['a hub service', '/services/hub-groups/api/courses']
  ])('refuses a URL into another server: %s', (_, template) => {
    const withHost = { ...shared, hubHost: 'http://127.0.0.1:8000' };
    expect(() => expandUrl(template, withHost, here)).toThrow(
      /on this shared server/
    );
  });

  it.each([
    [
      'its own pages',
      '{base_url}lab/tree/README.md',
      '/user/vox-collab/lab/tree/README.md'
    ],
    [
      'its own proxied app',
      '{base_url}proxy/8050/',
      '/user/vox-collab/proxy/8050/'
    ],
    ['the hub’s own pages', '{hub_host}{hub_prefix}home', '/hub/home'],
    [
      'another site',
      'https://example.org/user/vax/',
      'https://example.org/user/vax/'
    ]
  ])('keeps %s', (_, template, url) => {
    expect(expandUrl(template, shared, here)).toBe(url);
  });

  it('keeps the same URLs on one’s own server', () => {
    expect(expandUrl('/user/vax/lab', context, origin)).toBe('/user/vax/lab');
    expect(expandUrl('{hub_prefix}user-redirect/lab', context, origin)).toBe(
      '/hub/user-redirect/lab'
    );
  });

  it('follows a hub under a prefix', () => {
    const prefixed = {
      ...shared,
      baseUrl: '/jupyter/user/vox-collab/',
      hubPrefix: '/jupyter/hub/'
    };
    const page = 'http://127.0.0.1:8000/jupyter/user/vox-collab/lab';
    expect(() => expandUrl('/jupyter/user/vax/', prefixed, page)).toThrow(
      /on this shared server/
    );
    expect(() =>
      expandUrl('{hub_prefix}user-redirect/', prefixed, page)
    ).toThrow(/on this shared server/);
    expect(expandUrl('{base_url}proxy/1/', prefixed, page)).toBe(
      '/jupyter/user/vox-collab/proxy/1/'
    );
  });
});

describe('expandUrl messages', () => {
  it.each([
    ['a refused scheme', 'javascript:alert(1)'],
    ['another site', '//evil.example/'],
    ['an unknown placeholder', '{token}'],
    ['another server, on a shared one', '/user/vax/']
  ])('translates the message for %s', (_, template) => {
    const trans = {
      __: (text: string, ...args: unknown[]) =>
        `translated: ${text.replace(/%(\d)/g, (_, n) => String(args[n - 1]))}`
    } as any;
    expect(() =>
      expandUrl(template, { ...context, sharedServer: true }, origin, trans)
    ).toThrow(/^translated: /);
  });
});
