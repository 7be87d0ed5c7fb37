import { CourseManagementModel } from '../../../courses/members/manage';
import { HubGroupsError } from '../../../common/request';
import { CourseMembersModel } from '../../../courses/members/model';
import { BASE, COURSE, FakeServer, url, waitFor } from '../fakeserver';

describe('CourseManagementModel', () => {
  let server: FakeServer;
  let model: CourseManagementModel;

  beforeEach(() => {
    server = new FakeServer();
    model = new CourseManagementModel({
      serverSettings: server.settings(),
      auto: false
    });
  });

  afterEach(() => model.dispose());

  it('lists the groups the hub lets the user manage, sorted', async () => {
    server.manages = ['b', 'A', COURSE];
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.refresh();
    expect(model.groups).toEqual(['A', COURSE, 'b']);
    await model.refresh();
    expect(changes).toBe(1);
    expect(server.calls).toEqual(['GET manage', 'GET manage']);
  });

  it('has none for a student, a refusal, or a server without the endpoint', async () => {
    server.manages = [];
    await model.refresh();
    expect(model.groups).toEqual([]);
    server.manages = [COURSE];
    await model.refresh();
    for (const status of [401, 403, 404]) {
      server.next.push([status, { error: 'x', message: 'x' }]);
      await model.refresh();
      expect(model.groups).toEqual([]);
      server.manages = [COURSE];
      await model.refresh();
    }
  });

  it('keeps the last answer through a failure (the endpoints check anyway)', async () => {
    await model.refresh();
    server.next.push([502, { error: 'hub-unreachable', message: 'down' }]);
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.error?.code).toBe('hub-unreachable');
    server.next.push([0, null]);
    await model.refresh();
    expect(model.status).toBe('stale');
    expect(model.groups).toEqual([COURSE]);
  });
});

describe('CourseMembersModel', () => {
  let server: FakeServer;
  let model: CourseMembersModel;

  beforeEach(() => {
    server = new FakeServer();
    model = new CourseMembersModel({
      serverSettings: server.settings(),
      group: COURSE
    });
  });

  afterEach(() => model.dispose());

  it('reads the members of the group, its name escaped whole', async () => {
    const odd = new CourseMembersModel({
      serverSettings: server.settings(),
      group: 'a b/c?d'
    });
    server.manages.push('a b/c?d');
    await odd.refresh();
    expect(url(server.requests[0])).toBe(
      `${BASE}hub-groups/api/manage/a%20b%2Fc%3Fd`
    );
    expect(odd.members).toEqual(['alice', 'mmuster']);
    expect(odd.status).toBe('ready');
    expect(odd.lastUpdated).toBeInstanceOf(Date);
    odd.dispose();
  });

  it('adds, says what it could not, and undoes the add', async () => {
    await model.refresh();
    const result = await model.add(['mmuster2', 'alice', 'nobody']);
    expect(result).toEqual({
      action: 'add',
      done: ['mmuster2'],
      unchanged: ['alice'],
      errors: [
        {
          name: 'nobody',
          error: 'unknown-user',
          message: 'JupyterHub has no user nobody.'
        }
      ]
    });
    // The change's answer has the members: no second read.
    expect(model.members).toEqual(['alice', 'mmuster', 'mmuster2']);
    expect(server.calls).toEqual([
      `GET manage/${COURSE}`,
      `POST manage/${COURSE}/add`
    ]);
    expect(JSON.parse(server.requests[1].init.body)).toEqual({
      names: ['mmuster2', 'alice', 'nobody']
    });
    expect(model.lastChange).toEqual({ action: 'add', names: ['mmuster2'] });

    const undone = await model.undo();
    expect(undone!.action).toBe('remove');
    expect(undone!.done).toEqual(['mmuster2']);
    expect(model.members).toEqual(['alice', 'mmuster']);
    expect(model.lastChange).toBeNull();
    expect(await model.undo()).toBeNull();
  });

  it('removes and undoes the removal', async () => {
    await model.remove(['mmuster']);
    expect(model.members).toEqual(['alice']);
    expect(model.lastChange).toEqual({ action: 'remove', names: ['mmuster'] });
    await model.undo();
    expect(model.members).toEqual(['alice', 'mmuster']);
    expect(server.calls.slice(-1)).toEqual([`POST manage/${COURSE}/add`]);
  });

  it('keeps a change undoable when the undo fails', async () => {
    await model.remove(['mmuster']);
    server.next.push([502, { error: 'hub-unreachable', message: 'down' }]);
    await expect(model.undo()).rejects.toMatchObject({
      code: 'hub-unreachable'
    });
    expect(model.lastChange).toEqual({ action: 'remove', names: ['mmuster'] });
  });

  it('records nothing to undo when nothing changed', async () => {
    await model.add(['alice', 'nobody']);
    expect(model.lastChange).toBeNull();
  });

  it('previews 300 names in one request', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `s${i}`);
    server.users.push(...names.slice(0, 298));
    const preview = await model.preview([...names, 'alice', 'a/b']);
    expect(preview.new).toHaveLength(298);
    expect(preview.unknown).toEqual(['s298', 's299']);
    expect(preview.member).toEqual(['alice']);
    expect(preview.invalid).toEqual(['a/b']);
    expect(server.calls).toEqual([`POST manage/${COURSE}/preview`]);
    expect(server.members).toEqual(['alice', 'mmuster']);
  });

  it('sends more than 5000 names in parts', async () => {
    const names = Array.from({ length: 5001 }, (_, i) => `s${i}`);
    const preview = await model.preview(names);
    expect(preview.unknown).toHaveLength(5001);
    expect(server.calls).toHaveLength(2);
    expect(JSON.parse(server.requests[1].init.body).names).toEqual(['s5000']);
  });

  it('completes names through the users endpoint', async () => {
    expect(await model.complete(' mmus ', 10)).toEqual(['mmuster', 'mmuster2']);
    expect(url(server.requests[0])).toBe(
      `${BASE}hub-groups/api/manage/${COURSE}/users?prefix=mmus&limit=10`
    );
  });

  it('is refused (and empty) for someone who may not manage the group', async () => {
    await model.refresh();
    server.manages = [];
    await model.refresh();
    expect(model.status).toBe('refused');
    expect(model.error).toBeInstanceOf(HubGroupsError);
    expect(model.error).toMatchObject({ status: 403, code: 'not-a-manager' });
    expect(model.members).toEqual([]);
    await expect(model.add(['mmuster2'])).rejects.toMatchObject({
      status: 403,
      code: 'not-a-manager'
    });
  });

  it('reads again when a change is refused: the hub says whether the user still may', async () => {
    await model.refresh();
    expect(model.status).toBe('ready');
    server.manages = [];
    await expect(model.remove(['alice'])).rejects.toMatchObject({
      status: 403
    });
    await waitFor(() => model.status === 'refused', 'the read after');
    expect(server.calls).toEqual([
      `GET manage/${COURSE}`,
      `POST manage/${COURSE}/remove`,
      `GET manage/${COURSE}`
    ]);
    expect(model.members).toEqual([]);
  });

  it('is absent when the hub has no such group', async () => {
    server.next.push([
      404,
      { error: 'no-such-group', message: 'There is no group.' }
    ]);
    await model.refresh();
    expect(model.status).toBe('absent');
    expect(model.members).toEqual([]);
    expect(model.error).toMatchObject({
      status: 404,
      code: 'absent',
      serverMessage: 'There is no group.'
    });
    // A change on it still says the server's own code.
    server.next.push([
      404,
      { error: 'no-such-group', message: 'There is no group.' }
    ]);
    await expect(model.add(['bob'])).rejects.toMatchObject({
      code: 'no-such-group'
    });
  });

  it('is unavailable when no list could be read, and ready once one is', async () => {
    server.next.push([502, { error: 'hub-unreachable', message: 'down' }]);
    await model.refresh();
    expect(model.status).toBe('unavailable');
    expect(model.error?.code).toBe('hub-unreachable');
    expect(model.members).toEqual([]);
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.members).toEqual(['alice', 'mmuster']);
  });

  it('keeps the last list through a failure and says so', async () => {
    await model.refresh();
    let changes = 0;
    model.changed.connect(() => changes++);
    server.next.push([0, null]);
    await model.refresh();
    expect(model.error).toMatchObject({ status: 0, code: 'unavailable' });
    expect(model.status).toBe('stale');
    expect(model.members).toEqual(['alice', 'mmuster']);
    expect(changes).toBe(1);
    server.next.push([502, 'not JSON']);
    await model.refresh();
    expect(model.error).toMatchObject({ status: 502, code: 'unavailable' });
    expect(model.status).toBe('stale');
    // The same code again: nothing new to say.
    expect(changes).toBe(1);
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    expect(changes).toBe(2);
  });

  it('drops a read answered after a change it was asked before', async () => {
    let release!: () => void;
    server.holds.push(new Promise(resolve => (release = resolve)));
    // The read sees the old members but answers after the add.
    const read = model.refresh();
    await waitFor(() => server.requests.length === 1, 'the read sent');
    await model.add(['mmuster2']);
    expect(model.members).toEqual(['alice', 'mmuster', 'mmuster2']);
    release();
    await read;
    expect(model.members).toEqual(['alice', 'mmuster', 'mmuster2']);
    expect(model.status).toBe('ready');
    // A read asked after the change is taken.
    server.members.push('summer');
    await model.refresh();
    expect(model.members).toContain('summer');
  });

  it('drops a read sent while a change is under way', async () => {
    await model.refresh();
    let release!: () => void;
    server.holds.push(new Promise(resolve => (release = resolve)));
    const adding = model.add(['mmuster2']); // held
    expect(model.busy).toBe(true);
    await model.refresh(); // the old list, answered during the change
    expect(model.members).toEqual(['alice', 'mmuster']);
    release();
    await adding;
    expect(model.members).toEqual(['alice', 'mmuster', 'mmuster2']);
    expect(model.busy).toBe(false);
  });

  it('joins a read in flight', async () => {
    await Promise.all([model.refresh(), model.refresh()]);
    expect(server.calls).toHaveLength(1);
  });

  describe('while shown', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('reads at once, every interval, and on focus; nothing once hidden', async () => {
      model.interval = 10;
      model.active = true;
      await jest.advanceTimersByTimeAsync(0);
      expect(server.calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(server.calls).toHaveLength(2);

      // Another instructor adds someone; the window gets focus.
      server.members.push('summer');
      await jest.advanceTimersByTimeAsync(2_000);
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(0);
      expect(server.calls).toHaveLength(3);
      expect(model.members).toContain('summer');

      model.active = false;
      window.dispatchEvent(new Event('focus'));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(server.calls).toHaveLength(3);
    });

    it('reads nothing on focus before it is shown', async () => {
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(server.calls).toEqual([]);
      expect(model.status).toBe('loading');
    });
  });
});
