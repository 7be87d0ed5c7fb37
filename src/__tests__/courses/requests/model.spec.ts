import { CourseRequestsModel } from '../../../courses/requests/model';
import { answer, COURSE, FakeService } from '../fakeservice';
import { waitFor } from '../fakeserver';

describe('CourseRequestsModel', () => {
  let service: FakeService;
  let model: CourseRequestsModel;

  beforeEach(() => {
    service = new FakeService();
    service.user = 'prof';
    service.manages = [COURSE];
    model = new CourseRequestsModel({
      client: service.client(),
      group: COURSE
    });
  });

  afterEach(() => model.dispose());

  it('reads the pending requests while active', async () => {
    service.ask('alice', COURSE, 'hi');
    expect(model.status).toBe('loading');
    model.active = true;
    await waitFor(() => model.status === 'ready', 'the first read');
    expect(model.requests.map(r => [r.user, r.message])).toEqual([
      ['alice', 'hi']
    ]);
    expect(service.calls[0].call).toBe(
      `GET courses/${COURSE}/requests?state=pending`
    );
    model.active = false;
  });

  it('approves and declines, and reads again', async () => {
    service.ask('alice');
    service.ask('bob');
    service.ask('carol');
    await model.refresh();
    const busy: boolean[] = [];
    model.changed.connect(() => busy.push(model.busy));
    const approved = await model.decide(['alice', 'bob'], true);
    expect(approved.approved).toEqual(['alice', 'bob']);
    expect(busy[0]).toBe(true);
    expect(model.requests.map(r => r.user)).toEqual(['carol']);
    expect(service.members[COURSE]).toEqual(['alice', 'alice', 'bob']);
    const declined = await model.decide(['carol'], false);
    expect(declined.declined).toEqual(['carol']);
    // A read after the last decision (one not sent yet is joined by both).
    const calls = () => service.calls.map(c => c.call.split(' ')[0]);
    await waitFor(
      () => calls().lastIndexOf('GET') > calls().lastIndexOf('POST'),
      'the read after the decisions'
    );
    await model.refresh();
    expect(model.requests).toEqual([]);
  });

  it('drops a list read before a decision finished', async () => {
    service.ask('alice');
    await model.refresh();
    let release!: () => void;
    service.holds.push(new Promise<void>(resolve => (release = resolve)));
    const read = model.refresh(); // answers "alice pending", held
    await waitFor(() => service.calls.length === 2, 'the read sent');
    await model.decide(['alice'], true);
    expect(model.requests).toEqual([]);
    release();
    await read;
    expect(model.requests).toEqual([]);
    expect(model.status).toBe('ready');
  });

  it('reads again after a decision, not joining a read sent before it; says it decided', async () => {
    service.ask('alice');
    service.ask('bob');
    await model.refresh();
    let decided = 0;
    model.decided.connect(() => decided++);
    let release!: () => void;
    service.holds.push(new Promise<void>(resolve => (release = resolve)));
    const read = model.refresh(); // answers "alice, bob pending", held
    await waitFor(() => service.calls.length === 2, 'the read sent');
    await model.decide(['alice'], true);
    expect(decided).toBe(1);
    service.ask('carol'); // arrives meanwhile
    release();
    await read;
    await waitFor(
      () => model.requests.map(r => r.user).join() === 'bob,carol',
      'a read after the decision'
    );
  });

  it.each([
    ['closed', 403, 'refused'],
    ['not-a-manager', 403, 'refused'],
    ['no-access', 403, 'refused'],
    ['not-authenticated', 403, 'refused'],
    ['absent', 404, 'absent']
  ])(
    'has nothing to show for %s, and stops reading',
    async (error, status, expected) => {
      service.next.push(
        error === 'absent'
          ? answer(404, '<html>404 Not Found</html>')
          : answer(status, { error, message: 'no' })
      );
      model.active = true;
      await waitFor(() => model.status === expected, 'the answer');
      expect(model.requests).toEqual([]);
      expect(model.error?.code).toBe(error);
      expect(model.active).toBe(false);
      window.dispatchEvent(new Event('focus'));
      // Shown again: still nothing to read here.
      model.active = false;
      model.active = true;
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(service.calls).toHaveLength(1);
    }
  );

  it('stale after a failure, unavailable without a list', async () => {
    service.next.push('offline');
    await model.refresh();
    expect(model.status).toBe('unavailable');
    expect(model.error?.code).toBe('unavailable');
    expect(model.requests).toEqual([]);
    service.ask('alice');
    await model.refresh();
    expect(model.status).toBe('ready');
    service.next.push(answer(502, '<html>Bad Gateway</html>'));
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.requests.map(r => r.user)).toEqual(['alice']);
    expect([model.error?.code, model.error?.status]).toEqual([
      'unavailable',
      502
    ]);
  });

  describe('while shown', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('reads on focus while active only', async () => {
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(service.calls).toEqual([]);
      model.active = true;
      await jest.advanceTimersByTimeAsync(0);
      expect(service.calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(2_000);
      service.ask('alice');
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(0);
      expect(service.calls).toHaveLength(2);
      expect(model.requests.map(r => r.user)).toEqual(['alice']);
      model.active = false;
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(service.calls).toHaveLength(2);
    });
  });
});
