import { ProjectsModel } from '../../projects/model';
import { FakeProjectsService, refusal } from './fakeservice';

describe('ProjectsModel', () => {
  let service: FakeProjectsService;
  let model: ProjectsModel;
  const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);
  /** A promise's value, the poll's timers run meanwhile. */
  async function settled<T>(promise: Promise<T>): Promise<T> {
    for (let i = 0; i < 5; i++) {
      await tick();
    }
    return promise;
  }

  beforeEach(() => {
    jest.useFakeTimers();
    service = new FakeProjectsService();
    service.user = 'vax';
    service.projects = [
      {
        name: 'orca',
        creator: 'vex',
        members: ['vax', 'vex'],
        status: 'starting'
      }
    ];
    model = new ProjectsModel({ client: service.client(), interval: 10 });
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
  });

  it("gives the projects as shared servers, in the collaboration cards' words", async () => {
    service.projects.push({
      name: 'seal',
      creator: 'fjord',
      members: ['fjord', 'vax'],
      status: 'stopping'
    });
    await tick();
    expect(model.status).toBe('ready');
    expect(model.collaborations).toEqual([
      { group: 'orca', account: 'orca-collab', status: 'starting' },
      { group: 'seal', account: 'seal-collab', status: 'stopping' }
    ]);
    expect(model.degraded).toBeNull();
  });

  it('sees a project one is added to at the next interval, without a reload, and one left', async () => {
    await tick();
    service.projects.push({
      name: 'seal',
      creator: 'fjord',
      members: ['fjord', 'vax'],
      status: 'stopped'
    });
    await tick(9000);
    expect(model.projects.map(p => p.name)).toEqual(['orca']);
    await tick(1000);
    expect(model.projects.map(p => p.name)).toEqual(['orca', 'seal']);
    service.projects[0].members = ['vex'];
    await tick(10_000);
    expect(model.projects.map(p => p.name)).toEqual(['seal']);
  });

  it('asks nothing while the page is hidden (the PagePoll standby)', async () => {
    await tick();
    const before = service.calls.length;
    Object.defineProperty(document, 'visibilityState', {
      value: 'hidden',
      configurable: true
    });
    document.dispatchEvent(new Event('visibilitychange'));
    await tick(60_000);
    expect(service.calls.length).toBe(before);
    Object.defineProperty(document, 'visibilityState', {
      value: 'visible',
      configurable: true
    });
    document.dispatchEvent(new Event('visibilitychange'));
    await tick(11_000);
    expect(service.calls.length).toBeGreaterThan(before);
  });

  it('keeps the cards while the service is down (stale), and says refused', async () => {
    await tick();
    service.next.push('offline');
    await tick(10_000);
    expect(model.status).toBe('stale');
    expect(model.projects).toHaveLength(1);
    model.dispose();
    model = new ProjectsModel({ client: service.client(), interval: 10 });
    service.next.push(refusal(403, 'no-access'));
    await tick();
    expect(model.status).toBe('refused');
    expect(model.collaborations).toEqual([]);
  });

  it('starts and stops through the service, by the project of an account', async () => {
    await tick();
    service.projects[0].status = 'stopped';
    await expect(settled(model.startServer('orca-collab'))).resolves.toBe(
      'starting'
    );
    expect(service.said).toContain('POST projects/orca/start');
    await settled(model.stop('orca-collab'));
    expect(service.said).toContain('POST projects/orca/stop');
    expect(model.byAccount('orca-collab')?.status).toBe('stopped');
  });

  it('waits until a started server runs', async () => {
    await tick();
    const running = model.whenRunning('orca-collab', { every: 1000 });
    let done = false;
    void running.then(() => (done = true));
    await tick(1000);
    expect(done).toBe(false);
    service.projects[0].status = 'running';
    await tick(1000);
    expect(done).toBe(true);
  });

  it('offers Members on the dialog of a project one manages only, and says which', async () => {
    service.user = 'vex';
    await tick();
    expect(model.actions(model.collaborations[0])).toEqual([]); // no words yet
    model.membersButton = { label: 'Members…', caption: 'c' };
    const [action] = model.actions(model.collaborations[0]);
    const asked: string[] = [];
    model.membersRequested.connect((_, name) => asked.push(name));
    action.run();
    expect(asked).toEqual(['orca']);
    service.user = 'vax';
    await settled(model.refresh());
    expect(model.actions(model.collaborations[0])).toEqual([]);
  });

  it('takes what a change answered at once, then reads again', async () => {
    service.user = 'vex';
    await tick();
    const seen: string[][] = [];
    model.changed.connect(() => seen.push(model.projects.map(p => p.name)));
    const made = await service.client().create('seal', []);
    const changed = model.changedProject(made);
    expect(seen[0]).toEqual(['orca', 'seal']);
    await settled(changed);
    service.projects = service.projects.filter(p => p.name !== 'orca');
    await settled(model.changedProject('orca'));
    expect(model.projects.map(p => p.name)).toEqual(['seal']);
  });
});
