import { ServerConnection } from '@jupyterlab/services';
import { signalToPromise } from '@jupyterlab/testutils';

import { PresenceModel } from '../../presence/model';
import { FakeRequest, response } from '../fakes';

const person = (name: string, extra: object = {}) => ({
  name,
  display_name: name,
  current: null,
  last_seen: new Date().toISOString(),
  ...extra
});

describe('PresenceModel', () => {
  let answers: Array<() => any>;
  let urls: string[];
  let requests: Array<{ method: string; url: string; body: any }>;
  let current: string | null;
  let model: PresenceModel;

  beforeEach(() => {
    answers = [];
    urls = [];
    requests = [];
    current = null;
    const fetch = (request: any) => {
      urls.push(request.url);
      requests.push({
        method: request.init?.method ?? 'GET',
        // (ServerConnection adds a cache-busting ?<time> for no-store)
        url: request.url.replace(/\?\d+$/, ''),
        body:
          typeof request.init?.body === 'string'
            ? JSON.parse(request.init.body)
            : undefined
      });
      const next = answers.shift();
      return next
        ? Promise.resolve(next())
        : Promise.reject(new TypeError('offline'));
    };
    model = new PresenceModel({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost/user/vox-collab/',
        fetch: fetch as any,
        Request: FakeRequest as any
      }),
      currentPath: () => current,
      interval: 10,
      auto: false
    });
  });

  afterEach(() => model.dispose());

  it('lists who is here, and sends what this user has open', async () => {
    current = 'notebooks/a b.ipynb';
    answers.push(() =>
      response(200, {
        me: 'vex',
        people: [person('vax', { current: 'x.ipynb' }), person('vex')]
      })
    );
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.people.map(p => p.name)).toEqual(['vax', 'vex']);
    expect(model.people[0].current).toBe('x.ipynb');
    expect(model.me).toBe('vex');
    expect(model.worthShowing).toBe(true);
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'http://localhost/user/vox-collab/hub-groups/api/presence',
        body: { current: 'notebooks/a b.ipynb' }
      }
    ]);
  });

  it('reads with GET, and POSTs the current document only when it changed', async () => {
    const list = () => response(200, { me: 'vex', people: [person('vex')] });
    answers.push(list, list, list, list, list);
    current = 'a.ipynb';
    await model.refresh(); // told
    await model.refresh(); // same document: read only
    current = 'b.ipynb';
    await model.refresh(); // told again
    current = null;
    await model.refresh(); // no document any more
    await model.refresh();
    expect(requests.map(r => [r.method, r.body])).toEqual([
      ['POST', { current: 'a.ipynb' }],
      ['GET', undefined],
      ['POST', { current: 'b.ipynb' }],
      ['POST', { current: null }],
      ['GET', undefined]
    ]);
    expect(requests.every(r => !r.url.includes('?'))).toBe(true);
  });

  it('tells again at the next refresh when telling failed', async () => {
    current = 'a.ipynb';
    // no answer: the request fails (offline)
    await model.refresh();
    expect(model.status).toBe('unavailable');
    expect(model.error?.code).toBe('unavailable');
    answers.push(() => response(502, { error: 'hub-timeout' }));
    await model.refresh();
    expect(model.error?.code).toBe('hub-timeout');
    answers.push(() => response(200, { me: 'vex', people: [person('vex')] }));
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(requests.map(r => r.method)).toEqual(['POST', 'POST', 'POST']);
  });

  it('does not repeat what the server refused', async () => {
    current = 'a.ipynb';
    answers.push(() => response(403, { error: 'not-a-member' }));
    await model.refresh();
    expect(model.status).toBe('refused');
    answers.push(() => response(403, { error: 'not-a-member' }));
    await model.refresh();
    current = 'x'.repeat(2000); // too long: sent as no document
    answers.push(() => response(400, { error: 'bad-request' }));
    answers.push(() => response(200, { me: 'vex', people: [person('vex')] }));
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(requests.map(r => [r.method, r.body])).toEqual([
      ['POST', { current: 'a.ipynb' }],
      ['GET', undefined],
      ['POST', { current: null }],
      ['GET', undefined]
    ]);
  });

  it('one refresh while telling joins it', async () => {
    current = 'a.ipynb';
    answers.push(() => response(200, { me: 'vex', people: [person('vex')] }));
    await Promise.all([model.refresh(), model.refresh()]);
    expect(requests.map(r => r.method)).toEqual(['POST']);
  });

  it('on a personal server, is worth showing only once someone else is here', async () => {
    answers.push(() =>
      response(200, { me: 'vex', shared: false, people: [person('vex')] })
    );
    await model.refresh();
    expect(model.worthShowing).toBe(false);
    answers.push(() =>
      response(200, {
        me: 'vex',
        shared: false,
        people: [person('vex'), person('fjord')]
      })
    );
    await model.refresh();
    expect(model.worthShowing).toBe(true);
  });

  it("completes the list with jupyter-collaboration's awareness", async () => {
    const handlers: Array<() => void> = [];
    const states = new Map<number, any>([
      [
        1,
        {
          user: { username: 'vex', display_name: 'Vex' },
          current: 'notebook:RTC:mine.ipynb'
        }
      ],
      [
        2,
        {
          user: { username: 'vax', display_name: 'Vax' },
          current: 'notebook:RTC:a.ipynb'
        }
      ]
    ]);
    const awareness = {
      clientID: 1,
      getStates: () => states,
      on: (_: string, h: () => void) => handlers.push(h),
      off: (_: string, h: () => void) => handlers.splice(handlers.indexOf(h), 1)
    };
    answers.push(() =>
      response(200, { me: 'vex', shared: true, people: [person('vex')] })
    );
    await model.refresh();
    let changes = 0;
    model.changed.connect(() => changes++);
    // Its reader is loaded with the first awareness (only collaboration
    // servers have one): the list says so once it is.
    const merged = signalToPromise(model.changed);
    model.awareness = awareness;
    expect(model.people.map(p => p.name)).toEqual(['vex']);
    await merged;
    expect(model.people.map(p => [p.name, p.displayName, p.current])).toEqual([
      ['vax', 'Vax', 'a.ipynb'],
      ['vex', 'vex', null]
    ]);
    expect(changes).toBe(1);
    states.delete(2);
    handlers.forEach(h => h());
    expect(model.people.map(p => p.name)).toEqual(['vex']);
    expect(changes).toBe(2);
    model.dispose();
    expect(handlers).toHaveLength(0);
  });

  it('awareness changes before the first answer, or for a non-member, change nothing', async () => {
    const handlers: Array<() => void> = [];
    const states = new Map<number, any>([
      [2, { user: { username: 'vax' }, current: 'notebook:RTC:a.ipynb' }]
    ]);
    const awareness = {
      clientID: 1,
      getStates: () => {
        reads++;
        return states;
      },
      on: (_: string, h: () => void) => handlers.push(h),
      off: (_: string, h: () => void) => handlers.splice(handlers.indexOf(h), 1)
    };
    let reads = 0;
    let changes = 0;
    model.changed.connect(() => changes++);
    model.awareness = awareness;
    handlers.forEach(h => h());
    expect([changes, reads]).toEqual([0, 0]);
    answers.push(() => response(403, { error: 'not-a-member' }));
    await model.refresh();
    expect(changes).toBe(1); // the answer
    reads = 0;
    for (let i = 0; i < 5; i++) {
      handlers.forEach(h => h());
    }
    expect([changes, reads]).toEqual([1, 0]);
  });

  it('a 403 means: not a member, nothing to show', async () => {
    answers.push(() => response(200, { me: 'fjord', people: [person('vex')] }));
    await model.refresh();
    answers.push(() => response(403, { error: 'not-a-member' }));
    await model.refresh();
    expect(model.status).toBe('refused');
    expect(model.people).toEqual([]);
  });

  it('a failure keeps the last list and says so', async () => {
    answers.push(() =>
      response(200, { me: 'vex', people: [person('vex'), person('vax')] })
    );
    await model.refresh();
    answers.push(() => response(502, { error: 'hub-timeout' }));
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.people).toHaveLength(2);
  });

  it('someone who left disappears at the next answer', async () => {
    const counts: number[] = [];
    model.changed.connect(() => counts.push(model.people.length));
    answers.push(() =>
      response(200, { me: 'vex', people: [person('vax'), person('vex')] })
    );
    await model.refresh();
    answers.push(() => response(200, { me: 'vex', people: [person('vex')] }));
    await model.refresh();
    expect(counts).toEqual([2, 1]);
  });
});
