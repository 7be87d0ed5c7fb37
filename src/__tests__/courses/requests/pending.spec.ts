import { PendingModel } from '../../../courses/requests/pending';
import { IPendingRequest } from '../../../courses/client';
import { answer, COURSE, FakeService, OPEN } from '../fakeservice';
import { waitFor } from '../fakeserver';

/** A Storage of one's own (the page's localStorage is shared by specs). */
class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('PendingModel', () => {
  let service: FakeService;
  let storage: MemoryStorage;
  let model: PendingModel;
  let arrived: string[][];

  const make = () => {
    const m = new PendingModel({
      client: service.client(),
      storage,
      user: 'prof'
    });
    m.arrived.connect((_, requests: readonly IPendingRequest[]) =>
      arrived.push(requests.map(r => `${r.group}:${r.user}`))
    );
    return m;
  };

  beforeEach(() => {
    service = new FakeService();
    service.user = 'prof';
    service.manages = [COURSE, OPEN];
    storage = new MemoryStorage();
    arrived = [];
    model = make();
  });

  afterEach(() => {
    model.dispose();
    jest.restoreAllMocks();
  });

  it('announces each request once, several at once in one emission', async () => {
    service.ask('alice', COURSE, 'hi');
    service.ask('bob', COURSE);
    await model.refresh();
    expect(arrived).toEqual([[`${COURSE}:alice`, `${COURSE}:bob`]]);
    expect(model.pending.map(p => p.user)).toEqual(['alice', 'bob']);
    await model.refresh();
    await model.refresh();
    expect(arrived).toHaveLength(1);
    service.ask('carol', OPEN);
    await model.refresh();
    expect(arrived).toEqual([
      [`${COURSE}:alice`, `${COURSE}:bob`],
      [`${OPEN}:carol`]
    ]);
  });

  it('a new request after a decision is new', async () => {
    const row = service.ask('alice');
    await model.refresh();
    row.state = 'declined';
    await model.refresh();
    expect(model.pending).toEqual([]);
    service.ask('alice', COURSE, 'please, again');
    await model.refresh();
    expect(arrived).toEqual([[`${COURSE}:alice`], [`${COURSE}:alice`]]);
  });

  it('another page (a reload, another tab) does not announce it again; a new one 12 hours after the last read does', async () => {
    service.ask('alice');
    await model.refresh();
    const other = make();
    await other.refresh();
    expect(arrived).toHaveLength(1);
    // A page open all along keeps it announced (it read it, and says so).
    const now = Date.now();
    const clock = jest
      .spyOn(Date, 'now')
      .mockReturnValue(now + 11 * 3600 * 1000);
    await other.refresh();
    clock.mockReturnValue(now + 22 * 3600 * 1000);
    const third = make();
    await third.refresh();
    expect(arrived).toHaveLength(1);
    // Nobody read it for twelve hours, still pending: one reminder.
    clock.mockReturnValue(now + 34 * 3600 * 1000 + 1);
    const fourth = make();
    await fourth.refresh();
    expect(arrived).toEqual([[`${COURSE}:alice`], [`${COURSE}:alice`]]);
    for (const page of [other, third, fourth]) {
      page.dispose();
    }
  });

  it('forgets decided requests in the storage; a broken storage is no problem', async () => {
    const row = service.ask('alice');
    await model.refresh();
    expect(storage.items.get('jupyterlab-hub-groups:announced:prof')).toContain(
      'alice'
    );
    row.state = 'approved';
    await model.refresh();
    expect(storage.items.get('jupyterlab-hub-groups:announced:prof')).toBe(
      '{}'
    );
    storage.setItem('jupyterlab-hub-groups:announced:prof', 'not json');
    service.ask('bob');
    await model.refresh();
    expect(arrived).toEqual([[`${COURSE}:alice`], [`${COURSE}:bob`]]);
  });

  it('reads only while active, at once when turned on and on focus', async () => {
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toEqual([]);
    window.dispatchEvent(new Event('focus'));
    expect(service.calls).toEqual([]);
    model.active = true;
    await waitFor(() => service.calls.length === 1, 'the first read');
    window.dispatchEvent(new Event('focus'));
    await waitFor(() => service.calls.length === 2, 'the read on focus');
    model.active = false;
    window.dispatchEvent(new Event('focus'));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls.map(c => c.call)).toEqual([
      'GET pending',
      'GET pending'
    ]);
  });

  it.each([
    ['a hub without the service', answer(404, '<html>Not Found</html>')],
    [
      'a page token without access',
      answer(403, { error: 'no-access', message: 'no' })
    ]
  ])('stops for %s', async (_, failure) => {
    service.next.push(failure);
    model.active = true;
    await waitFor(() => !model.active, 'the poll to stop');
    model.active = true;
    expect(model.active).toBe(false);
    expect(service.calls).toHaveLength(1);
  });

  it('a 404 page after the service answered is a hub restarting: reading goes on', async () => {
    model.active = true;
    await waitFor(() => service.calls.length === 1, 'the first read');
    service.next.push(answer(404, '<html>Not Found</html>'));
    await model.refresh();
    expect(model.status).toBe('absent');
    expect(model.active).toBe(true);
    window.dispatchEvent(new Event('focus'));
    await waitFor(() => service.calls.length === 3, 'the read on focus');
  });

  it('a decision here: read again after the read in flight', async () => {
    service.ask('alice');
    model.active = true;
    await waitFor(() => model.pending.length === 1, 'the first read');
    let release!: () => void;
    service.holds.push(new Promise<void>(resolve => (release = resolve)));
    const read = model.refresh(); // answers "alice pending", held
    await waitFor(() => service.calls.length === 2, 'the read in flight');
    service.rows[0].state = 'approved'; // decided in the panel
    model.decidedHere();
    release();
    await read;
    await waitFor(() => model.pending.length === 0, 'the read after');
    expect(service.calls).toHaveLength(3);
  });

  it('keeps the list through a failure', async () => {
    service.ask('alice');
    await model.refresh();
    service.next.push(answer(503, '<html>down</html>'));
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.error?.code).toBe('unavailable');
    expect(model.pending.map(p => p.user)).toEqual(['alice']);
  });
});
