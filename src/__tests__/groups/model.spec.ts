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
  refreshed,
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

    it('goes loading → unavailable on a first failure, with no groups', async () => {
      fake.reply(502, { error: 'hub-timeout', message: 'JupyterHub is slow.' });
      model = track(makeModel(fake));
      await started(model);
      expect(model.status).toBe('unavailable');
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
      await refreshed(model);
      expect(model.status).toBe('stale');
      expect(model.isMemberOfAny(['vox'])).toBe(true);
      expect(model.error).toBeTruthy();
      await refreshed(model);
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
      await refreshed(model);
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(89_000);
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(model.status).toBe('unavailable');
      expect(model.groups.size).toBe(0);
      expect(model.isMemberOfAny(['vox'])).toBe(false);
    });

    it('configure: a new grace period counts from the last answer', async () => {
      fake.reply(200, me(['vox'])).fail();
      model = makeModel(fake, { gracePeriod: 300 });
      await started(model);
      await jest.advanceTimersByTimeAsync(30_000);
      await refreshed(model);
      expect(model.status).toBe('stale');
      model.configure({ gracePeriod: 60 });
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(29_000);
      expect(model.status).toBe('stale');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(model.status).toBe('unavailable');
      expect(model.groups.size).toBe(0);
    });

    it('configure: a grace period over already drops a stale answer at once', async () => {
      fake.reply(200, me(['vox'])).fail();
      model = makeModel(fake);
      await started(model);
      await jest.advanceTimersByTimeAsync(30_000);
      await refreshed(model);
      expect(model.status).toBe('stale');
      model.configure({ gracePeriod: 10 });
      expect(model.status).toBe('unavailable');
      expect(model.isMemberOfAny(['vox'])).toBe(false);
    });

    it('with no grace period, a failure drops the groups at once', async () => {
      fake.reply(200, me(['vox'])).fail();
      model = makeModel(fake, { gracePeriod: 0 });
      await started(model);
      await refreshed(model);
      expect(model.status).toBe('unavailable');
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
        await refreshed(model);
        expect(model.status).toBe('refused');
        expect(model.groups.size).toBe(0);
        expect(model.user).toBeNull();
        expect(statuses).toEqual(['ready', 'refused']);
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
        await refreshed(model);
        expect(model.status).toBe('refused');
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
      await refreshed(model);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(model.status).toBe('unavailable');
      expect(model.isMemberOfAny(['vox'])).toBe(false);
      expect(model.lastUpdated).toBe(confirmed);
      expect(confirmed).toBeInstanceOf(Date);
    });

    it('unavailable → ready when the hub answers again', async () => {
      fake.fail().reply(200, me(['vox']));
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('unavailable');
      await refreshed(model);
      expect(model.status).toBe('ready');
    });

    it('refuses an answer without a list of group names (fail closed)', async () => {
      fake
        .reply(200, { name: 'vex', groups: 'vox' })
        .reply(200, '<html>')
        .reply(200, { name: 'vex', groups: ['vox', 7] });
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('unavailable');
      await refreshed(model);
      expect(model.status).toBe('unavailable');
      await refreshed(model);
      expect(model.status).toBe('unavailable');
      expect(model.groups.size).toBe(0);
    });

    it('is absent outside JupyterHub, with no request', async () => {
      model = track(makeModel(fake, { hub: null }));
      await started(model);
      await refreshed(model);
      expect(model.status).toBe('absent');
      expect(model.groups.size).toBe(0);
      expect(model.isMemberOfAny([])).toBe(false);
      expect(fake.calls).toHaveLength(0);
    });

    it('is absent when the server says it is not under a hub', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x'
      });
      model = makeModel(fake);
      await started(model);
      expect(model.status).toBe('absent');
    });

    it('emits changed only when something changed', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = track(makeModel(fake));
      await started(model);
      await refreshed(model);
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
      await refreshed(model);
      expect(fake.calls).toHaveLength(3);
      expect(fake.calls[2]).toBe('/hub/api/user');
      expect(model.isMemberOfAny(['mighty'])).toBe(true);
    });

    it("is unavailable, not absent, when the hub's api/user is not there (the page says there is a hub)", async () => {
      fake
        .reply(404, { message: 'Not Found' })
        .reply(404, '<html>Not Found</html>');
      model = makeModel(fake);
      await started(model);
      expect(fake.calls[1]).toBe('/hub/api/user');
      expect(model.status).toBe('unavailable');
      expect(model.error?.status).toBe(404);
      expect(model.groups.size).toBe(0);
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
      await refreshed(model);
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
});
