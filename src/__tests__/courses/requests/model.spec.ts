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
    await waitFor(
      () => service.calls.filter(c => c.call.startsWith('GET')).length >= 3,
      'the reads after the decisions'
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
    await model.decide(['alice'], true);
    release();
    await read;
    expect(model.requests).toEqual([]);
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
    ['closed', 403],
    ['not-a-manager', 403],
    ['no-access', 403]
  ])('has nothing to show for %s, and stops reading', async (error, status) => {
    service.next.push(answer(status, { error, message: 'no' }));
    model.active = true;
    await waitFor(() => model.status === 'none', 'the answer');
    window.dispatchEvent(new Event('focus'));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toHaveLength(1);
  });

  it('stale after a failure, error without a list', async () => {
    service.next.push('offline');
    await expect(model.refresh()).rejects.toThrow();
    expect(model.status).toBe('error');
    service.ask('alice');
    await model.refresh();
    service.next.push(answer(502, '<html>Bad Gateway</html>'));
    await expect(model.refresh()).rejects.toThrow();
    expect(model.status).toBe('stale');
    expect(model.requests.map(r => r.user)).toEqual(['alice']);
    expect([model.error?.code, model.error?.status]).toEqual([
      'unavailable',
      502
    ]);
  });
});
