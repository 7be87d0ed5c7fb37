import { ServerConnection } from '@jupyterlab/services';

import {
  HubGroupsError,
  requestAnswer,
  requestJson
} from '../../common/request';
import { FakeRequest, response } from '../fakes';

/** A response with headers (for Retry-After). */
function withHeaders(
  status: number,
  body: unknown,
  headers: Record<string, string>
): any {
  return {
    ...response(status, body),
    headers: { get: (name: string) => headers[name] ?? null }
  };
}

describe('requestJson', () => {
  describe('to our server extension', () => {
    let requests: FakeRequest[];
    let answer: () => Promise<any>;
    const target = () => ({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost/user/vex/',
        token: 'page-token',
        fetch: ((request: FakeRequest) => {
          requests.push(request);
          return answer();
        }) as any,
        Request: FakeRequest as any
      })
    });

    beforeEach(() => {
      requests = [];
      answer = () => Promise.resolve(response(200, { ok: true }));
    });

    it('joins the path to the base URL, with the query, read fresh', async () => {
      await expect(
        requestJson(target(), 'hub-groups/api/me', {
          query: { startup: 1, max_age: null, refresh: undefined }
        })
      ).resolves.toEqual({ ok: true });
      // (ServerConnection adds a cache-busting &<time> for no-store)
      expect(requests[0].url).toMatch(
        /^http:\/\/localhost\/user\/vex\/hub-groups\/api\/me\?startup=1&\d+$/
      );
      expect(requests[0].init.cache).toBe('no-store');
      expect(requests[0].init.method).toBe('GET');
    });

    it('sends a JSON body with the method', async () => {
      await requestJson(target(), 'hub-groups/api/presence', {
        method: 'POST',
        json: { current: 'a.ipynb' }
      });
      expect(requests[0].init.method).toBe('POST');
      expect(JSON.parse(requests[0].init.body)).toEqual({
        current: 'a.ipynb'
      });
    });

    it('gives the status of a 2xx answer, and null for a 204', async () => {
      answer = () => Promise.resolve(response(201, { state: 'pending' }));
      await expect(requestAnswer(target(), 'x')).resolves.toEqual({
        status: 201,
        body: { state: 'pending' }
      });
      answer = () => Promise.resolve(response(204, 'no body'));
      await expect(requestJson(target(), 'x')).resolves.toBeNull();
    });

    it('throws the server’s code and sentence', async () => {
      answer = () =>
        Promise.resolve(
          response(403, { error: 'not-a-member', message: 'vex is not in it.' })
        );
      const error = await requestJson(target(), 'x').catch(e => e);
      expect(error).toBeInstanceOf(HubGroupsError);
      expect(error.status).toBe(403);
      expect(error.code).toBe('not-a-member');
      expect(error.serverMessage).toBe('vex is not in it.');
      expect(error.refused).toBe(true);
      expect(error.unavailable).toBe(false);
      expect(error.message).toContain('vex is not in it.');
    });

    it('is unavailable with no answer', async () => {
      answer = () => Promise.reject(new TypeError('Failed to fetch'));
      const error = await requestJson(target(), 'x').catch(e => e);
      expect(error.status).toBe(0);
      expect(error.code).toBe('unavailable');
      expect(error.unavailable).toBe(true);
    });

    it.each([
      [200, '<html>a proxy</html>', 'unavailable'],
      [502, '<html>Bad Gateway</html>', 'unavailable'],
      [500, { message: 'Internal' }, 'unavailable'],
      [404, '<html>Not Found</html>', 'absent'],
      [404, { message: 'Not Found', reason: null }, 'absent'],
      [403, { message: 'Forbidden', reason: null }, 'refused'],
      [401, '<html>login</html>', 'refused'],
      [409, { message: 'Conflict' }, 'http'],
      [502, { error: 'hub-timeout', message: 'slow' }, 'hub-timeout']
    ])('a %s answer of %j has code %s', async (status, body, code) => {
      answer = () => Promise.resolve(response(status, body));
      const error = await requestJson(target(), 'x').catch(e => e);
      expect(error).toBeInstanceOf(HubGroupsError);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
    });
  });

  describe('to the hub side', () => {
    let calls: Array<{ url: string; init: RequestInit; self: unknown }>;
    let answer: () => Promise<any>;
    const target = {
      baseUrl: 'https://hub.example/services/hub-groups/api',
      token: 'page-token',
      // A fetch that, like the browser's, refuses any other `this`.
      fetch: function (this: unknown, url: string, init: RequestInit) {
        calls.push({ url, init, self: this });
        if (this !== undefined && this !== null) {
          throw new TypeError('Illegal invocation');
        }
        return answer();
      }
    };

    beforeEach(() => {
      calls = [];
      answer = () => Promise.resolve(response(200, { courses: [] }));
    });

    it('sends the token in a header only, no cookie, read fresh', async () => {
      await expect(
        requestJson(target, 'courses', { query: { state: 'pending' } })
      ).resolves.toEqual({ courses: [] });
      expect(calls[0].url).toBe(
        'https://hub.example/services/hub-groups/api/courses?state=pending'
      );
      expect(calls[0].url).not.toContain('page-token');
      expect(calls[0].init.headers).toEqual({
        Authorization: 'token page-token'
      });
      expect(calls[0].init.credentials).toBe('omit');
      expect(calls[0].init.cache).toBe('no-store');
    });

    it('sends a JSON body with its content type', async () => {
      await requestJson(target, '/courses/a%20b/requests', {
        method: 'POST',
        json: { message: 'hi' }
      });
      expect(calls[0].url).toBe(
        'https://hub.example/services/hub-groups/api/courses/a%20b/requests'
      );
      expect(calls[0].init.method).toBe('POST');
      expect((calls[0].init.headers as any)['Content-Type']).toBe(
        'application/json'
      );
      expect(calls[0].init.body).toBe('{"message":"hi"}');
    });

    it('takes the wait of a refusal from the body, else the header', async () => {
      answer = () =>
        Promise.resolve(
          response(429, { error: 'rate-limited', retry_after: 12.2 })
        );
      let error = await requestJson(target, 'x').catch(e => e);
      expect(error.code).toBe('rate-limited');
      expect(error.retryAfter).toBe(13);
      answer = () =>
        Promise.resolve(
          withHeaders(429, { error: 'rate-limited' }, { 'Retry-After': '30' })
        );
      error = await requestJson(target, 'x').catch(e => e);
      expect(error.retryAfter).toBe(30);
      answer = () => Promise.resolve(response(429, { error: 'rate-limited' }));
      error = await requestJson(target, 'x').catch(e => e);
      expect(error.retryAfter).toBeNull();
    });
  });
});

describe('HubGroupsError', () => {
  it('wraps anything thrown as unavailable, and keeps itself', () => {
    const offline = HubGroupsError.from(new TypeError('Failed to fetch'));
    expect(offline.code).toBe('unavailable');
    expect(offline.status).toBe(0);
    expect(offline.serverMessage).toContain('Failed to fetch');
    const own = new HubGroupsError(404, 'no-such-group');
    expect(HubGroupsError.from(own)).toBe(own);
  });

  it('says a bad answer with its status', () => {
    const error = HubGroupsError.badAnswer('no list');
    expect([error.status, error.code, error.serverMessage]).toEqual([
      200,
      'bad-answer',
      'no list'
    ]);
    expect(error.unavailable).toBe(false);
  });
});
