import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import { HubGroupsModel } from '../../groups/model';
import { HubGroupsReport } from '../../groups/report';
import { IHubGroups } from '../../tokens';
import { FakeRequest } from '../fakes';
import {
  FakeFetch,
  HUB,
  makeModel,
  me,
  setVisibility,
  started
} from './fakefetch';

describe('HubGroupsModel', () => {
  let model: HubGroupsModel;
  let fake: FakeFetch;
  let statuses: IHubGroups.Status[];

  beforeEach(() => {
    jest.useFakeTimers();
    setVisibility('visible');
    fake = new FakeFetch();
    statuses = [];
  });

  afterEach(() => {
    model?.dispose();
    jest.useRealTimers();
  });

  function track(m: HubGroupsModel): HubGroupsModel {
    m.changed.connect(() => statuses.push(m.status));
    return m;
  }

  describe('status transitions', () => {
    it('goes loading → ready with the groups of the answer', async () => {
      fake.reply(200, me(['vox', 'Class1234_Semester02']));
      model = track(makeModel(fake));
      expect(model.status).toBe('loading');
      expect(model.isMemberOfAny(['vox'])).toBe(false);
      await started(model);
      expect(model.status).toBe('ready');
      expect([...model.groups].sort()).toEqual(['Class1234_Semester02', 'vox']);
      expect(model.user?.name).toBe('vex');
      expect(model.isMemberOfAny(['vox'])).toBe(true);
      expect(model.isMemberOfAny(['mighty'])).toBe(false);
      expect(model.isMemberOfAny([])).toBe(true);
      expect(model.lastUpdated).toBeInstanceOf(Date);
      expect(statuses).toEqual(['ready']);
    });

    it('asks our server endpoint with the page token in a header, never in the URL', async () => {
      fake.reply(200, me(['vox']));
      model = makeModel(fake);
      await started(model);
      // The first asks for what the other plugins read first.
      expect(fake.calls[0]).toMatch(
        /^http:\/\/localhost\/user\/vex\/hub-groups\/api\/me\?startup=1&\d+$/
      );
      expect(fake.calls[0]).not.toContain(HUB.token);
      expect(fake.headers[0]['authorization']).toBe(`token ${HUB.token}`);
      expect(model.source).toBe('server');
    });

    it('goes loading → error on a first failure, with no groups', async () => {
      fake.reply(502, { error: 'hub-timeout', message: 'JupyterHub is slow.' });
      model = track(makeModel(fake));
      await started(model);
      expect(model.status).toBe('error');
      expect(model.groups.size).toBe(0);
      expect(model.error?.code).toBe('hub-timeout');
      expect(model.error?.status).toBe(502);
      expect(model.error?.serverMessage).toBe('JupyterHub is slow.');
      expect(model.isMemberOfAny([])).toBe(false);
    });

    it('goes ready → stale on a failure and keeps the groups, then ready again', async () => {
      fake
        .reply(200, me(['vox']))
        .fail()
        .reply(200, me(['vox', 'mighty']));
      model = track(makeModel(fake));
      await started(model);
      await model.refresh();
      expect(model.status).toBe('stale');
      expect(model.isMemberOfAny(['vox'])).toBe(true);
      expect(model.error).toBeTruthy();
      await model.refresh();
      expect(model.status).toBe('ready');
      expect(model.error).toBeNull();
      expect(model.isMemberOfAny(['mighty'])).toBe(true);
      expect(statuses).toEqual(['ready', 'stale', 'ready']);
    });

    it('drops a stale answer when the grace period ends', async () => {
      fake.reply(200, me(['vox'])).reply(500, 'Internal Server Error');
      model = track(makeModel(fake, { gracePeriod: 120 }));
      await started(model);
      await jest.advanceTimersByTimeAsync(30_000);
      await model.refresh();
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(89_000);
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(model.status).toBe('error');
      expect(model.groups.size).toBe(0);
      expect(model.isMemberOfAny(['vox'])).toBe(false);
    });

    it('with no grace period, a failure drops the groups at once', async () => {
      fake.reply(200, me(['vox'])).fail();
      model = makeModel(fake, { gracePeriod: 0 });
      await started(model);
      await model.refresh();
      expect(model.status).toBe('error');
      expect(model.groups.size).toBe(0);
    });

    it.each([401, 403])(
      'a %d drops the groups at once, without grace',
      async status => {
        fake
          .reply(200, me(['vox']))
          .reply(status, { error: 'hub-refused', message: 'Refused.' });
        model = track(makeModel(fake));
        await started(model);
        await model.refresh();
        expect(model.status).toBe('error');
        expect(model.groups.size).toBe(0);
        expect(model.user).toBeNull();
        expect(statuses).toEqual(['ready', 'error']);
      }
    );

    it.each([401, 403])(
      'after a %d, still says when the hub last answered (the groups report too)',
      async status => {
        const confirmed = '2026-12-05T10:00:00.000Z';
        fake
          .reply(200, { ...(me(['vox']) as object), fetched_at: confirmed })
          .reply(status, { error: 'hub-refused', message: 'Refused.' });
        model = makeModel(fake);
        await started(model);
        await model.refresh();
        expect(model.status).toBe('error');
        expect(model.groups.size).toBe(0);
        expect(model.lastUpdated?.toISOString()).toBe(confirmed);
        const report = new HubGroupsReport(
          model,
          nullTranslator.load('jupyterlab_hub_groups')
        );
        const lastRefresh = report.node.querySelector(
          '[data-field="last-refresh"]'
        )!.textContent;
        expect(lastRefresh).toBe(new Date(confirmed).toLocaleString());
        expect(lastRefresh).not.toBe('never');
        report.dispose();
      }
    );

    it('after the grace period, still says when the hub last answered', async () => {
      fake.reply(200, me(['vox'])).fail();
      model = makeModel(fake, { gracePeriod: 10 });
      await started(model);
      const confirmed = model.lastUpdated;
      await model.refresh();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(model.status).toBe('error');
      expect(model.isMemberOfAny(['vox'])).toBe(false);
      expect(model.lastUpdated).toBe(confirmed);
      expect(confirmed).toBeInstanceOf(Date);
    });

    it('error → ready when the hub answers again', async () => {
      fake.fail().reply(200, me(['vox']));
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('error');
      await model.refresh();
      expect(model.status).toBe('ready');
    });

    it('refuses an answer without a list of group names (fail closed)', async () => {
      fake
        .reply(200, { name: 'vex', groups: 'vox' })
        .reply(200, '<html>')
        .reply(200, { name: 'vex', groups: ['vox', 7] });
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('error');
      await model.refresh();
      expect(model.status).toBe('error');
      await model.refresh();
      expect(model.status).toBe('error');
      expect(model.groups.size).toBe(0);
    });

    it('reports no-hub outside JupyterHub, with no request', async () => {
      model = track(makeModel(fake, { hub: null }));
      await started(model);
      await model.refresh();
      expect(model.status).toBe('no-hub');
      expect(model.groups.size).toBe(0);
      expect(model.isMemberOfAny([])).toBe(false);
      expect(fake.calls).toHaveLength(0);
    });

    it('reports no-hub when the server says it is not under a hub', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x'
      });
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('no-hub');
    });

    it('emits changed only when something changed', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = track(makeModel(fake));
      await started(model);
      await model.refresh();
      expect(fake.calls).toHaveLength(2);
      expect(statuses).toEqual(['ready']);
    });
  });

  describe('sources', () => {
    it('falls back to the hub API when our endpoint is missing, and stays there', async () => {
      fake
        .reply(404, { message: 'Not Found' })
        .reply(200, { name: 'vex', groups: ['vox'] })
        .reply(200, { name: 'vex', groups: ['vox', 'mighty'] });
      model = makeModel(fake);
      await started(model);
      expect(fake.calls[1]).toBe('/hub/api/user');
      expect(fake.headers[1]['authorization']).toBe(`token ${HUB.token}`);
      expect(model.status).toBe('ready');
      expect(model.source).toBe('hub');
      expect(model.user?.serverOwner).toBe('vex');
      await model.refresh();
      expect(fake.calls).toHaveLength(3);
      expect(fake.calls[2]).toBe('/hub/api/user');
      expect(model.isMemberOfAny(['mighty'])).toBe(true);
    });

    it("calls the browser's fetch on its global for the hub fallback, as the browser requires", async () => {
      // The browser's fetch throws "Illegal invocation" when called as a
      // method of another object (the server settings); this one too.
      const browserLike = function (
        this: unknown,
        input: any,
        init?: any
      ): Promise<any> {
        if (this !== undefined && this !== null && this !== globalThis) {
          return Promise.reject(new TypeError('Illegal invocation'));
        }
        return fake.fetch(input, init);
      };
      fake
        .reply(404, { message: 'Not Found' })
        .reply(200, { name: 'vex', groups: ['vox'] });
      model = makeModel(fake, {
        serverSettings: ServerConnection.makeSettings({
          baseUrl: 'http://localhost/user/vex/',
          token: HUB.token,
          fetch: browserLike as any,
          Request: FakeRequest as any
        })
      });
      await started(model);
      expect(fake.calls).toEqual([
        expect.stringContaining('/user/vex/hub-groups/api/me'),
        '/hub/api/user'
      ]);
      expect(model.error).toBeNull();
      expect(model.status).toBe('ready');
      expect(model.source).toBe('hub');
      expect(model.isMemberOfAny(['vox'])).toBe(true);
    });

    it('asks the server to bypass its cache on an explicit refresh only', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = makeModel(fake);
      await started(model);
      expect(fake.calls[0]).not.toContain('refresh=1');
      await model.refresh();
      expect(fake.calls[1]).toContain('refresh=1');
    });

    it('asks for an answer at most a second old on focus and when shown, and nothing more on ticks', async () => {
      for (let i = 0; i < 4; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(0);
      await jest.advanceTimersByTimeAsync(20_000);
      setVisibility('hidden');
      setVisibility('visible');
      await jest.advanceTimersByTimeAsync(0);
      await jest.advanceTimersByTimeAsync(60_000);
      const queries = fake.calls.map(url =>
        // (ServerConnection adds a cache-busting ?<time> or &<time>)
        url.replace(/^[^?]*/, '').replace(/[?&]\d+$/, '')
      );
      expect(queries).toEqual(['?startup=1', '?max_age=1', '?max_age=1', '']);
    });
  });

  describe('whether the page may call the hub-groups service', () => {
    it.each([
      ['says so', true, true],
      ['says not', false, false],
      ['does not say (an older server)', undefined, false],
      ['says something else', 'yes', false]
    ])(
      'follows our server extension, when it %s',
      async (_, value, expected) => {
        fake.reply(200, {
          ...(me(['vox']) as object),
          hub_groups_service: value
        });
        model = await started(makeModel(fake));
        expect(model.status).toBe('ready');
        expect(model.hubGroupsService).toBe(expected);
      }
    );

    it.each([
      [
        ['access:services!service=hub-groups', 'read:users:groups!user=vex'],
        true
      ],
      [['access:services'], true],
      [['access:services!service=other', 'access:servers!server=vex/'], false],
      [undefined, false],
      ['access:services', false]
    ])("reads the hub's own answer's scopes: %j", async (scopes, expected) => {
      fake
        .reply(404, { message: 'Not Found' })
        .reply(200, { name: 'vex', groups: ['vox'], scopes });
      model = await started(makeModel(fake));
      expect(model.source).toBe('hub');
      expect(model.hubGroupsService).toBe(expected);
    });

    it('is false before an answer, kept while stale, gone after a refusal, and changes are signalled', async () => {
      const yes = { ...(me(['vox']) as object), hub_groups_service: true };
      fake
        .reply(200, yes)
        .fail()
        .reply(403, { error: 'hub-refused', message: 'Refused.' })
        .reply(200, yes);
      model = makeModel(fake);
      const seen: boolean[] = [];
      model.changed.connect(() => seen.push(model.hubGroupsService));
      expect(model.hubGroupsService).toBe(false);
      await started(model);
      expect(model.hubGroupsService).toBe(true);
      await model.refresh();
      expect(model.status).toBe('stale');
      expect(model.hubGroupsService).toBe(true);
      await model.refresh();
      expect(model.status).toBe('error');
      expect(model.hubGroupsService).toBe(false);
      await model.refresh();
      expect(model.hubGroupsService).toBe(true);
      expect(seen).toEqual([true, true, false, true]);
    });

    it('is false outside a hub', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x',
        hub_groups_service: true
      });
      model = await started(makeModel(fake));
      expect(model.status).toBe('no-hub');
      expect(model.hubGroupsService).toBe(false);
    });
  });

  describe('groups joined since this server started', () => {
    const joined = (groups: string[], value: unknown) => ({
      ...(me(groups) as object),
      joined_since_start: value
    });

    it('takes them from our server extension, changes signalled', async () => {
      fake
        .reply(200, joined(['vox'], []))
        .reply(200, joined(['vox', 'mighty'], ['mighty']))
        .reply(200, joined(['vox', 'mighty'], ['mighty']));
      model = makeModel(fake);
      let changes = 0;
      model.changed.connect(() => changes++);
      await started(model);
      expect(model.joinedSinceStart).toEqual([]);
      await model.refresh();
      expect(model.joinedSinceStart).toEqual(['mighty']);
      expect(changes).toBe(2);
      await model.refresh();
      expect(changes).toBe(2);
    });

    it.each([
      ['not a list', 'mighty', []],
      ['other items', [7, null, 'mighty', { a: 1 }], ['mighty']],
      ['a group the answer does not hold', ['mighty', 'other'], ['mighty']],
      ['none (an older server)', undefined, []]
    ])('keeps only groups of the answer: %s', async (_, value, expected) => {
      fake.reply(200, joined(['vox', 'mighty'], value));
      model = await started(makeModel(fake));
      expect(model.joinedSinceStart).toEqual(expected);
    });

    it("has none from the hub's own answer, and none after a refusal", async () => {
      fake
        .reply(200, joined(['vox', 'mighty'], ['mighty']))
        .reply(403, { error: 'hub-refused', message: 'Refused.' });
      model = await started(makeModel(fake));
      expect(model.joinedSinceStart).toEqual(['mighty']);
      await model.refresh();
      expect(model.joinedSinceStart).toEqual([]);

      const other = new FakeFetch()
        .reply(404, { message: 'Not Found' })
        .reply(200, {
          name: 'vex',
          groups: ['vox', 'mighty'],
          joined_since_start: ['mighty']
        });
      const direct = await started(makeModel(other));
      expect(direct.source).toBe('hub');
      expect(direct.joinedSinceStart).toEqual([]);
      direct.dispose();
    });
  });

  describe('spawn problems', () => {
    const REPLACED =
      "The hub's pre_spawn_hook was replaced after configure_hub: courses get no kernels.";
    let warn: jest.SpyInstance;

    beforeEach(() => {
      warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    });

    afterEach(() => {
      warn.mockRestore();
    });

    /** The console warnings about spawn problems. */
    const warned = () =>
      warn.mock.calls
        .map(args => String(args[0]))
        .filter(line => line.includes('problems when this server started'));

    function withProblems(problems: unknown, groups = ['vox']): unknown {
      return { ...(me(groups) as object), spawn_problems: problems };
    }

    it('takes the sentences of the answer', async () => {
      fake.reply(200, withProblems([REPLACED, '<img src=x onerror=alert(1)>']));
      model = await started(makeModel(fake));
      expect(model.spawnProblems).toEqual([
        REPLACED,
        '<img src=x onerror=alert(1)>'
      ]);
      expect(model.status).toBe('ready');
    });

    it('has none before the first answer, and in an older server’s answer without the field', async () => {
      fake.reply(200, me(['vox']));
      model = makeModel(fake);
      expect(model.spawnProblems).toEqual([]);
      await started(model);
      expect(model.spawnProblems).toEqual([]);
      expect(model.status).toBe('ready');
    });

    it.each([
      ['a string', REPLACED, []],
      ['an object', { 0: REPLACED }, []],
      ['null', null, []],
      ['a number', 7, []],
      [
        'other items among the sentences',
        [7, null, REPLACED, { a: 1 }, ['x'], '  '],
        [REPLACED]
      ]
    ])(
      'ignores what is not a sentence (%s) and keeps the groups',
      async (_, value, expected) => {
        fake.reply(200, withProblems(value));
        model = await started(makeModel(fake));
        expect(model.spawnProblems).toEqual(expected);
        expect(model.isMemberOfAny(['vox'])).toBe(true);
      }
    );

    it('keeps at most 20 sentences of at most 500 characters', async () => {
      const many = Array.from({ length: 30 }, (_, i) => `problem ${i}`);
      fake.reply(200, withProblems(['x'.repeat(2000), ...many]));
      model = await started(makeModel(fake));
      expect(model.spawnProblems).toHaveLength(20);
      expect(model.spawnProblems[0]).toHaveLength(500);
      expect(model.spawnProblems[1]).toBe('problem 0');
    });

    it('takes them from a server outside a hub too, none from the hub’s own API', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x',
        spawn_problems: [REPLACED]
      });
      model = await started(makeModel(fake));
      expect(model.status).toBe('no-hub');
      expect(model.spawnProblems).toEqual([REPLACED]);

      const other = new FakeFetch()
        .reply(404, { message: 'Not Found' })
        .reply(200, {
          name: 'vex',
          groups: ['vox'],
          spawn_problems: [REPLACED]
        });
      const direct = await started(makeModel(other));
      expect(direct.source).toBe('hub');
      expect(direct.spawnProblems).toEqual([]);
      direct.dispose();
    });

    it('emits changed when they change, and says them in the console once, not at each refresh', async () => {
      fake
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED, 'A profile undid the arguments.']))
        .reply(200, withProblems([]));
      model = track(makeModel(fake));
      let changes = 0;
      model.changed.connect(() => changes++);
      await started(model);
      expect(changes).toBe(1);
      expect(warned()).toHaveLength(1);
      expect(warned()[0]).toContain(REPLACED);

      await model.refresh();
      await model.refresh();
      expect(changes).toBe(1);
      expect(warned()).toHaveLength(1);

      // the server restarted with another problem: said once more
      await model.refresh();
      expect(changes).toBe(2);
      expect(model.spawnProblems).toHaveLength(2);
      expect(warned()).toHaveLength(2);
      expect(warned()[1]).toContain('A profile undid the arguments.');

      await model.refresh();
      expect(changes).toBe(3);
      expect(model.spawnProblems).toEqual([]);
      expect(warned()).toHaveLength(2);
      expect(statuses).toEqual(['ready', 'ready', 'ready']);
    });

    it('keeps them through failures: they are about the server, not the user', async () => {
      fake
        .reply(200, withProblems([REPLACED]))
        .fail()
        .reply(403, { error: 'hub-refused', message: 'Refused.' });
      model = await started(makeModel(fake));
      await model.refresh();
      expect(model.status).toBe('stale');
      expect(model.spawnProblems).toEqual([REPLACED]);
      await model.refresh();
      expect(model.status).toBe('error');
      expect(model.groups.size).toBe(0);
      expect(model.spawnProblems).toEqual([REPLACED]);
    });
  });

  describe('scheduling', () => {
    /** Let the poll's timers run for `ms` (0: what is due now). */
    const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);
    const focus = () => window.dispatchEvent(new Event('focus'));

    it('keeps at most one request in flight', async () => {
      fake.hold = true;
      model = makeModel(fake);
      model.start();
      await tick();
      expect(fake.calls).toHaveLength(1);
      const a = model.refresh();
      const b = model.refresh();
      focus();
      await tick();
      expect(fake.calls).toHaveLength(1);
      fake.releaseAll(200, me(['vox']));
      await Promise.all([a, b]);
      await tick();
      expect(fake.calls).toHaveLength(1);
      expect(model.status).toBe('ready');
    });

    it('refreshes on window focus', async () => {
      fake
        .reply(200, me(['vox']))
        .reply(200, me(['vox', 'Class1234_Semester02']));
      model = await started(makeModel(fake));
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      expect(model.isMemberOfAny(['Class1234_Semester02'])).toBe(true);
    });

    it('makes one request for focus and visibilitychange fired together', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = await started(makeModel(fake));
      document.dispatchEvent(new Event('visibilitychange'));
      focus();
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
    });

    it('makes no new request for wake-ups within a second of the last one', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake));
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      // The answer is in; the page's visibilitychange of the same return
      // comes later than the focus.
      await tick(500);
      setVisibility('visible');
      focus();
      await tick(500);
      expect(fake.calls).toHaveLength(2);
      focus();
      await tick();
      expect(fake.calls).toHaveLength(3);
    });

    it('refreshes on the interval while visible', async () => {
      for (let i = 0; i < 4; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(59_000);
      expect(fake.calls).toHaveLength(1);
      await tick(1_000);
      expect(fake.calls).toHaveLength(2);
      await tick(60_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('makes no request while the page is hidden, and catches up when shown', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      setVisibility('hidden');
      focus(); // a window can get focus while its page is hidden
      await tick(10 * 60_000);
      expect(fake.calls).toHaveLength(1);
      setVisibility('visible');
      await tick();
      expect(fake.calls).toHaveLength(2);
    });

    it('does not start while hidden, and fetches when shown', async () => {
      setVisibility('hidden');
      fake.reply(200, me(['vox']));
      model = makeModel(fake);
      model.start();
      await tick(120_000);
      expect(fake.calls).toHaveLength(0);
      setVisibility('visible');
      await tick();
      await model.ready;
      expect(model.status).toBe('ready');
    });

    it('shown again: asks at once, then waits a whole interval', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(20_000);
      setVisibility('hidden');
      setVisibility('visible');
      await tick();
      expect(fake.calls).toHaveLength(2);
      await tick(59_000);
      expect(fake.calls).toHaveLength(2);
      await tick(1_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('counts the interval from the last answer, focus and refresh included', async () => {
      for (let i = 0; i < 4; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(40_000);
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      await tick(59_000); // 99 s
      expect(fake.calls).toHaveLength(2);
      await model.refresh(); // 99 s
      expect(fake.calls).toHaveLength(3);
      await tick(59_000); // 158 s
      expect(fake.calls).toHaveLength(3);
      await tick(1_000); // 159 s
      expect(fake.calls).toHaveLength(4);
    });

    it('applies a new interval at once, never below 10 seconds', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(30_000);
      model.configure({ refreshInterval: 1 });
      expect(model.refreshInterval).toBe(10);
      await tick(9_000);
      expect(fake.calls).toHaveLength(1);
      await tick(1_000);
      expect(fake.calls).toHaveLength(2);
      await tick(10_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('backs off after failures, at most five minutes apart; focus still asks at once', async () => {
      // The longest wait Poll may draw: three times the last one, capped.
      const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
      try {
        fake.reply(200, me(['vox']));
        for (let i = 0; i < 4; i++) {
          fake.fail();
        }
        model = await started(makeModel(fake, { refreshInterval: 60 }));
        await tick(60_000);
        expect(fake.calls).toHaveLength(2);
        expect(model.status).toBe('stale');
        await tick(170_000);
        expect(fake.calls).toHaveLength(2);
        await tick(10_000);
        expect(fake.calls).toHaveLength(3);
        await tick(299_000);
        expect(fake.calls).toHaveLength(3);
        await tick(1_000);
        expect(fake.calls).toHaveLength(4);
        focus();
        await tick();
        expect(fake.calls).toHaveLength(5);
      } finally {
        random.mockRestore();
      }
    });

    it('stops everything on dispose', async () => {
      fake.reply(200, me(['vox']));
      model = await started(makeModel(fake));
      model.dispose();
      model.dispose();
      focus();
      setVisibility('hidden');
      setVisibility('visible');
      await tick(10 * 60_000);
      expect(fake.calls).toHaveLength(1);
      expect(model.isDisposed).toBe(true);
    });
  });
});
