import { JoinModel } from '../../../courses/join/model';
import { answer, COURSE, FakeService, OPEN } from '../fakeservice';
import { waitFor } from '../fakeserver';

describe('JoinModel', () => {
  let service: FakeService;
  let model: JoinModel;
  let joined: string[];

  const states = () => model.joinable().map(c => [c.group, c.state]);
  const reads = () => service.calls.filter(c => c.call === 'GET courses');

  beforeEach(() => {
    service = new FakeService();
    model = new JoinModel({ client: service.client() });
    joined = [];
    model.joined.connect((_, group) => joined.push(group));
  });

  afterEach(() => model.dispose());

  it('has no cards before the first answer', () => {
    expect(model.status).toBe('loading');
    expect(model.joinable()).toEqual([]);
  });

  it('lists the courses one is not in, with what their cards say', async () => {
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(states()).toEqual([
      [COURSE, 'request'],
      [OPEN, 'open']
    ]);
    // A course the groups service says the user is in has no card.
    expect(model.joinable(new Set([OPEN])).map(c => c.group)).toEqual([COURSE]);
    service.members[OPEN].push('mmuster2');
    await model.refresh();
    expect(states()).toEqual([[COURSE, 'request']]);
  });

  it('pending, declined, withdrawn, approved and removed since', async () => {
    const row = service.ask('mmuster2', COURSE, 'hi');
    await model.refresh();
    expect(states()[0]).toEqual([COURSE, 'pending']);
    expect(model.joinable()[0].request?.message).toBe('hi');
    row.state = 'declined';
    await model.refresh();
    expect(states()[0]).toEqual([COURSE, 'declined']);
    row.state = 'withdrawn';
    await model.refresh();
    expect(states()[0]).toEqual([COURSE, 'request']);
    row.state = 'approved';
    await model.refresh();
    expect(states()[0]).toEqual([COURSE, 'request']);
  });

  it('asking makes the request pending, and the draft goes', async () => {
    await model.refresh();
    model.setDraft(COURSE, 'Dear prof');
    expect(model.draft(COURSE)).toBe('Dear prof');
    const busy: boolean[] = [];
    model.changed.connect(() => busy.push(model.isBusy(COURSE)));
    const answer = await model.ask(COURSE, 'Dear prof');
    expect(answer.state).toBe('pending');
    expect(busy).toContain(true);
    expect(model.isBusy(COURSE)).toBe(false);
    expect(states()[0]).toEqual([COURSE, 'pending']);
    expect(model.draft(COURSE)).toBe('');
    expect(joined).toEqual([]);
  });

  it('joining an open course: its card goes and `joined` fires at once', async () => {
    await model.refresh();
    const answer = await model.ask(OPEN, '');
    expect(answer.state).toBe('approved');
    expect(joined).toEqual([OPEN]);
    expect(states()).toEqual([[COURSE, 'request']]);
  });

  it('an approval seen in a later read fires `joined` once (not the first read)', async () => {
    service.members[COURSE].push('mmuster2');
    await model.refresh();
    expect(joined).toEqual([]); // in it before: the groups service knows
    service.members[COURSE] = [];
    const row = service.ask('mmuster2');
    await model.refresh();
    expect(joined).toEqual([]);
    row.state = 'approved';
    service.members[COURSE].push('mmuster2');
    await model.refresh();
    expect(joined).toEqual([COURSE]);
    await model.refresh();
    expect(joined).toEqual([COURSE]);
    expect(states()).toEqual([[OPEN, 'open']]);
  });

  it('keeps the cards, marked unavailable, while the service is down (stale)', async () => {
    await model.refresh();
    for (const failure of [
      'offline' as const,
      answer(503, '<html>Service Unavailable</html>'),
      answer(502, '<html>Bad Gateway</html>'),
      answer(502, { error: 'hub-error', message: 'JupyterHub answered 500.' })
    ]) {
      service.next.push(failure);
      await model.refresh();
      expect(model.status).toBe('stale');
      expect(states()).toEqual([
        [COURSE, 'unavailable'],
        [OPEN, 'unavailable']
      ]);
    }
    expect(model.error?.code).toBe('hub-error');
    expect(model.error?.serverMessage).toBe('JupyterHub answered 500.');
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    expect(states()).toEqual([
      [COURSE, 'request'],
      [OPEN, 'open']
    ]);
  });

  it('down before any answer: unavailable, no cards', async () => {
    service.next.push(answer(503, '<html>Service Unavailable</html>'));
    await model.refresh();
    expect(model.status).toBe('unavailable');
    expect(model.joinable()).toEqual([]);
    await model.refresh();
    expect(model.status).toBe('ready');
  });

  it('no-access: the listing is kept (stale), the cards say to restart the server, nothing is read again', async () => {
    await model.refresh();
    service.next.push(
      answer(403, { error: 'no-access', message: 'This token may not…' })
    );
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.error).toMatchObject({ code: 'no-access', status: 403 });
    expect(model.active).toBe(false);
    expect(states()).toEqual([
      [COURSE, 'no-access'],
      [OPEN, 'no-access']
    ]);
    const calls = service.calls.length;
    await model.refresh();
    model.start();
    model.active = true;
    window.dispatchEvent(new Event('focus'));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toHaveLength(calls);
    expect(model.active).toBe(false);
  });

  it.each(['not-authenticated', 'collaboration-account', 'users-only'])(
    'a refusal of the user as such (%s) leaves no cards',
    async error => {
      await model.refresh();
      service.next.push(answer(403, { error, message: 'no' }));
      await model.refresh();
      expect(model.status).toBe('refused');
      expect(model.error?.code).toBe(error);
      expect(model.joinable()).toEqual([]);
    }
  );

  it('no-access at the first read: no more requests (the token changes only with a restart)', async () => {
    service.next.push(
      answer(403, { error: 'no-access', message: 'This token may not…' })
    );
    model.start();
    await waitFor(() => model.error?.code === 'no-access', 'the answer');
    expect(model.status).toBe('unavailable'); // nothing listed yet
    expect(model.joinable()).toEqual([]);
    window.dispatchEvent(new Event('focus'));
    await model.refresh();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toHaveLength(1);
  });

  it('a 404 page after the service answered is a hub restarting: unavailable (stale), and reading goes on', async () => {
    await model.refresh();
    service.next.push(answer(404, '<html>Not Found</html>'));
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.error).toMatchObject({ code: 'unavailable', status: 404 });
    expect(model.active).toBe(true);
    expect(states()).toEqual([
      [COURSE, 'unavailable'],
      [OPEN, 'unavailable']
    ]);
    await model.refresh();
    expect(model.status).toBe('ready');
  });

  it('a listing sent before asking does not undo the request; a read after it follows', async () => {
    await model.refresh();
    let release!: () => void;
    service.holds.push(new Promise<void>(resolve => (release = resolve)));
    const read = model.refresh(); // answers "nothing asked", held
    await waitFor(() => reads().length === 2, 'the read sent');
    await model.ask(COURSE, 'hi');
    expect(states()[0]).toEqual([COURSE, 'pending']);
    release();
    await read;
    expect(states()[0]).toEqual([COURSE, 'pending']);
    await waitFor(() => reads().length === 3, 'the read after asking');
    expect(service.calls.map(c => c.call)).toEqual([
      'GET courses',
      'GET courses',
      `POST courses/${COURSE}/requests`,
      'GET courses'
    ]);
    await model.refresh();
    expect(states()[0]).toEqual([COURSE, 'pending']);
  });

  it('a listing sent before withdrawing does not undo it', async () => {
    await model.ask(COURSE, 'hi');
    await model.readAgain(); // the read after asking
    let release!: () => void;
    service.holds.push(new Promise<void>(resolve => (release = resolve)));
    const before = reads().length;
    const read = model.refresh(); // answers "pending", held
    await waitFor(() => reads().length === before + 1, 'the read sent');
    await model.withdraw(COURSE);
    release();
    await read;
    expect(states()[0]).toEqual([COURSE, 'request']);
  });

  it('a hub without the service: no cards, and no more requests', async () => {
    service.next.push(answer(404, '<html>Not Found</html>'));
    model.start();
    await waitFor(() => model.status === 'absent', 'the answer');
    expect(model.joinable()).toEqual([]);
    expect(model.active).toBe(false);
    window.dispatchEvent(new Event('focus'));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls).toHaveLength(1);
  });

  it('a failed request keeps the draft and says why; a refusal of that call alone leaves the listing be', async () => {
    await model.refresh();
    model.setDraft(COURSE, 'Dear prof');
    service.next.push(
      answer(429, {
        error: 'rate-limited',
        message: 'Too many requests',
        retry_after: 600
      })
    );
    await expect(model.ask(COURSE, 'Dear prof')).rejects.toMatchObject({
      code: 'rate-limited',
      retryAfter: 600
    });
    expect(model.draft(COURSE)).toBe('Dear prof');
    expect(model.status).toBe('ready');
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(reads()).toHaveLength(1);
    // Down: the listing is read again, and says so.
    service.next.push('offline', 'offline');
    await expect(model.ask(COURSE, 'Dear prof')).rejects.toMatchObject({
      code: 'unavailable'
    });
    await waitFor(() => model.status === 'stale', 'the read after');
    expect(reads()).toHaveLength(2);
    expect(states()[0]).toEqual([COURSE, 'unavailable']);
    expect(model.draft(COURSE)).toBe('Dear prof');
    // Sending again works once the service is back.
    await model.ask(COURSE, 'Dear prof');
    expect(model.status).toBe('ready');
    expect(states()[0]).toEqual([COURSE, 'pending']);
  });

  it('a request refused for no-access reads the listing again: the cards say to restart', async () => {
    await model.refresh();
    const noAccess = () => answer(403, { error: 'no-access', message: 'no' });
    service.next.push(noAccess(), noAccess());
    await expect(model.ask(COURSE, '')).rejects.toMatchObject({
      code: 'no-access'
    });
    await waitFor(() => model.error?.code === 'no-access', 'the read after');
    expect(states()[0]).toEqual([COURSE, 'no-access']);
    expect(model.active).toBe(false);
  });

  it('withdrawing', async () => {
    await model.ask(COURSE, '');
    await model.refresh();
    await model.withdraw(COURSE);
    expect(states()[0]).toEqual([COURSE, 'request']);
    // Decided meanwhile: no error, the listing says how.
    await expect(model.withdraw(COURSE)).resolves.toBeUndefined();
  });

  it('reads on focus while started, once for a burst of events', async () => {
    model.start();
    await waitFor(() => model.status === 'ready', 'the first read');
    const before = service.calls.length;
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => service.calls.length > before, 'the read on focus');
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(service.calls.length).toBe(before + 1);
  });
});
