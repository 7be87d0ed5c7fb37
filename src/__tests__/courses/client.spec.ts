import { PageConfig } from '@jupyterlab/coreutils';

import { HubGroupsError } from '../../common/request';
import {
  EnrolmentClient,
  enrolmentApiUrl,
  readManage
} from '../../courses/client';
import { cleanMessage, messageLength } from '../../courses/join/message';
import { answer, API, COURSE, FakeService, OPEN } from './fakeservice';

describe('enrolmentApiUrl', () => {
  it('is next to the hub prefix, on the hub host', () => {
    expect(enrolmentApiUrl('', '/hub/')).toBe('/services/hub-groups/api/');
    expect(enrolmentApiUrl('', '/jupyter/hub/')).toBe(
      '/jupyter/services/hub-groups/api/'
    );
    expect(enrolmentApiUrl('https://hub.example.org', '/hub/')).toBe(
      'https://hub.example.org/services/hub-groups/api/'
    );
  });
});

describe('EnrolmentClient.fromPage', () => {
  afterEach(() => {
    for (const key of [
      'hubPrefix',
      'hubUser',
      'hubServerUser',
      'hubHost',
      'token'
    ]) {
      PageConfig.setOption(key, '');
    }
  });

  it('is null outside a hub and on someone else’s server', () => {
    expect(EnrolmentClient.fromPage()).toBeNull();
    PageConfig.setOption('hubPrefix', '/hub/');
    PageConfig.setOption('hubUser', 'vex');
    PageConfig.setOption('hubServerUser', 'vox-collab');
    expect(EnrolmentClient.fromPage()).toBeNull();
    PageConfig.setOption('hubServerUser', 'vex');
    PageConfig.setOption('token', 'page-token');
    expect(EnrolmentClient.fromPage()?.baseUrl).toBe(
      '/services/hub-groups/api/'
    );
  });

  it('is null without a page token (every call would be refused)', () => {
    PageConfig.setOption('hubPrefix', '/hub/');
    PageConfig.setOption('hubUser', 'vex');
    PageConfig.setOption('hubServerUser', 'vex');
    PageConfig.setOption('token', '');
    expect(EnrolmentClient.fromPage()).toBeNull();
  });
});

describe('EnrolmentClient', () => {
  let service: FakeService;
  let client: EnrolmentClient;

  beforeEach(() => {
    service = new FakeService();
    client = service.client();
  });

  it('sends the page token in a header, never a cookie, and never caches', async () => {
    await client.courses();
    const [{ url, init }] = service.calls;
    expect(url).toBe(`${API}courses`);
    expect(url).not.toContain('page-token');
    expect(init.headers).toEqual({ Authorization: 'token page-token' });
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
  });

  it('lists the courses with membership and one’s latest request', async () => {
    service.ask('mmuster2', COURSE, 'hi');
    expect(await client.courses()).toEqual([
      {
        group: COURSE,
        title: COURSE,
        enrolment: 'request',
        member: false,
        request: {
          state: 'pending',
          message: 'hi',
          created: expect.stringMatching(/^2026-12-01T10:00:01/),
          decided: null,
          reason: null
        }
      },
      {
        group: OPEN,
        title: OPEN,
        enrolment: 'open',
        member: false,
        request: null
      }
    ]);
  });

  it('reads a course’s title as one line, its group’s name without one', async () => {
    service.next.push(
      answer(200, {
        courses: [
          { group: 'A', title: '  Data\n Science  1 ', enrolment: 'open' },
          { group: 'B', title: 'x'.repeat(300), enrolment: 'open' },
          { group: 'C', title: 42, enrolment: 'open' },
          { group: 'D', title: '   ', enrolment: 'open' }
        ]
      })
    );
    expect((await client.courses()).map(c => c.title)).toEqual([
      'Data Science 1',
      'x'.repeat(100),
      'C',
      'D'
    ]);
  });

  it('leaves out what it cannot read', async () => {
    service.next.push(
      answer(200, {
        courses: [
          { group: 'A', enrolment: 'closed', member: false },
          { group: 7, enrolment: 'open' },
          { group: 'B', enrolment: 'open', member: 'yes', request: 'x' }
        ]
      })
    );
    expect(await client.courses()).toEqual([
      {
        group: 'B',
        title: 'B',
        enrolment: 'open',
        member: false,
        request: null
      }
    ]);
  });

  it('asks: 201 pending, 200 the same again, approved for open, member', async () => {
    let r = await client.ask(COURSE, '  Please let me in  ');
    expect(r).toEqual({
      state: 'pending',
      created: true,
      request: expect.objectContaining({
        state: 'pending',
        message: 'Please let me in'
      })
    });
    expect(service.calls[0].call).toBe(`POST courses/${COURSE}/requests`);
    expect(service.calls[0].body).toEqual({ message: 'Please let me in' });
    expect(service.calls[0].init.headers).toEqual({
      Authorization: 'token page-token',
      'Content-Type': 'application/json'
    });
    r = await client.ask(COURSE, 'again');
    expect([r.state, r.created, r.request?.message]).toEqual([
      'pending',
      false,
      'Please let me in'
    ]);
    r = await client.ask(OPEN, '');
    expect(service.calls[2].body).toEqual({});
    expect([r.state, r.created]).toEqual(['approved', false]);
    r = await client.ask(OPEN, '');
    expect(r).toEqual({ state: 'member', request: null, created: false });
  });

  it('names courses as one URL segment', async () => {
    service.courses['a/b c'] = 'request';
    service.members['a/b c'] = [];
    await client.ask('a/b c', '');
    expect(service.calls[0].url).toBe(`${API}courses/a%2Fb%20c/requests`);
  });

  it('strips tabs and control characters from messages (the service refuses them)', async () => {
    await client.ask(COURSE, 'one\ttwo\r\nthree\u0007\u202e!\t');
    expect(service.calls[0].body).toEqual({ message: 'one two\nthree!' });
  });

  it('withdraws, and says when nothing was pending', async () => {
    await client.ask(COURSE, '');
    await client.withdraw(COURSE);
    expect(service.calls[1].call).toBe(
      `DELETE courses/${COURSE}/requests/mine`
    );
    expect((await client.courses())[0].request).toBeNull();
    await expect(client.withdraw(COURSE)).rejects.toMatchObject({
      status: 404,
      code: 'no-pending-request'
    });
  });

  it('reads a course’s requests and decides them (its managers)', async () => {
    service.user = 'prof';
    service.manages = [COURSE];
    service.ask('alice', COURSE, 'hi\nthere');
    service.ask('bob');
    const listed = await client.requests(COURSE);
    expect(service.calls[0].call).toBe(
      `GET courses/${COURSE}/requests?state=pending`
    );
    expect(listed.map(r => [r.user, r.message, r.state])).toEqual([
      ['alice', 'hi\nthere', 'pending'],
      ['bob', null, 'pending']
    ]);
    expect(await client.pending()).toEqual([
      {
        group: COURSE,
        user: 'alice',
        created: listed[0].created,
        message: 'hi\nthere'
      },
      { group: COURSE, user: 'bob', created: listed[1].created, message: null }
    ]);
    const decided = await client.decide(COURSE, ['alice', 'carol'], true);
    expect(service.calls[2].body).toEqual({ users: ['alice', 'carol'] });
    expect(service.calls[2].call).toBe(
      `POST courses/${COURSE}/requests/approve`
    );
    expect(decided).toEqual({
      approved: ['alice'],
      declined: [],
      errors: [
        {
          name: 'carol',
          error: 'no-pending-request',
          message: 'carol has no pending request.'
        }
      ]
    });
    expect((await client.decide(COURSE, ['bob'], false)).declined).toEqual([
      'bob'
    ]);
  });

  describe('errors', () => {
    const failure = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (e) {
        return e as HubGroupsError;
      }
      throw new Error('did not fail');
    };

    it('no answer at all: unavailable', async () => {
      service.next.push('offline');
      const e = await failure(client.courses());
      expect(e).toBeInstanceOf(HubGroupsError);
      expect([e.status, e.code, e.unavailable]).toEqual([
        0,
        'unavailable',
        true
      ]);
    });

    it.each([502, 503, 504, 500, 200])(
      'an error page instead of JSON (%s): unavailable',
      async status => {
        service.next.push(answer(status, '<html>Service Unavailable</html>'));
        const e = await failure(client.courses());
        expect([e.status, e.code, e.unavailable]).toEqual([
          status,
          'unavailable',
          true
        ]);
      }
    );

    it('the hub down behind the service: unavailable, with its code', async () => {
      service.next.push(
        answer(502, { error: 'hub-unreachable', message: 'JupyterHub…' })
      );
      const e = await failure(client.courses());
      expect([e.code, e.unavailable, e.serverMessage]).toEqual([
        'hub-unreachable',
        true,
        'JupyterHub…'
      ]);
    });

    it('a 404 page: no service on this hub', async () => {
      service.next.push(answer(404, '<html>404 Not Found</html>'));
      const e = await failure(client.courses());
      expect([e.code, e.unavailable]).toEqual(['absent', false]);
    });

    it('no-access: a page token without the right to call the service', async () => {
      service.next.push(
        answer(403, {
          error: 'no-access',
          message:
            'This token may not use the hub-groups service (it needs access:services!service=hub-groups).'
        })
      );
      const e = await failure(client.courses());
      expect([e.status, e.code, e.unavailable]).toEqual([
        403,
        'no-access',
        false
      ]);
    });

    it('rate-limited, with retry_after from the body or the header', async () => {
      service.next.push(
        answer(429, {
          error: 'rate-limited',
          message:
            'Too many requests to join courses; try again in 1200 seconds.',
          retry_after: 1200
        })
      );
      let e = await failure(client.ask(COURSE, 'x'));
      expect([e.status, e.code, e.retryAfter]).toEqual([
        429,
        'rate-limited',
        1200
      ]);
      service.next.push(
        answer(
          429,
          { error: 'rate-limited', message: 'later' },
          { 'Retry-After': '61.2' }
        )
      );
      e = await failure(client.ask(COURSE, 'x'));
      expect(e.retryAfter).toBe(62);
    });

    it('a closed or unknown course, a bad request, not a manager', async () => {
      let e = await failure(client.ask('Closed9', ''));
      expect([e.status, e.code]).toEqual([403, 'closed']);
      service.next.push(
        answer(400, {
          error: 'bad-request',
          message: 'A message has at most 500 characters.'
        })
      );
      e = await failure(client.ask(COURSE, 'x'));
      expect([e.code, e.serverMessage]).toEqual([
        'bad-request',
        'A message has at most 500 characters.'
      ]);
      e = await failure(client.requests(COURSE));
      expect(e.code).toBe('not-a-manager');
    });

    it('an answer of the wrong shape', async () => {
      service.next.push(answer(200, { something: 'else' }));
      expect((await failure(client.courses())).code).toBe('bad-answer');
      service.next.push(answer(201, { state: 'weird' }));
      expect((await failure(client.ask(COURSE, ''))).code).toBe('bad-answer');
    });
  });
});

describe('cleanMessage and messageLength', () => {
  it('counts characters as the service does (after trimming; an emoji is one)', () => {
    expect(messageLength('  abc  ')).toBe(3);
    expect(messageLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
    expect(messageLength('a\r\nb')).toBe(3);
  });

  it('keeps line breaks and text; drops what the service refuses', () => {
    expect(cleanMessage('Hi\tthere\r\nLine\rtwo')).toBe('Hi there\nLine\ntwo');
    expect(cleanMessage('a\u0000b\u001bc\u007fd\u0085e')).toBe('abcde');
    expect(cleanMessage('evil\u202eorppa\u2066x\u2069')).toBe('evilorppax');
    expect(cleanMessage('x\ud800y\udc00z')).toBe('xyz');
    expect(cleanMessage('<b>bold</b> & "quotes"')).toBe(
      '<b>bold</b> & "quotes"'
    );
    expect(cleanMessage(' \t\n ')).toBe('');
  });
});

describe('readManage', () => {
  it('reads the groups, sorted, and the titles of those of them that have one', () => {
    const managed = readManage({
      groups: ['b', 'a', '', 7],
      titles: { a: '  Data\n Science 1 ', b: 42, other: 'not mine', c: 'x' }
    });
    expect(managed.groups).toEqual(['a', 'b']);
    expect([...managed.titles]).toEqual([['a', 'Data Science 1']]);
    // an older server: no titles
    expect([...readManage({ groups: ['a'] }).titles]).toEqual([]);
    expect(() => readManage({ titles: {} })).toThrow('manage: no groups');
  });
});
