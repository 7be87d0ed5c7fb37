import { readStartup } from '../../groups/answer';
import { HubGroupsModel } from '../../groups/model';
import {
  FakeFetch,
  makeModel,
  me,
  refreshed,
  setVisibility,
  started
} from './fakefetch';

const STARTUP = {
  manage: { groups: ['physics'] },
  presence: { people: [], me: 'vex', shared: true },
  collaborations: { collaborations: [], degraded: null },
  courses_to_join: [
    { group: 'chem', enrolment: 'request' },
    { group: 7, enrolment: 'open' },
    'biology'
  ]
};

describe('IHubGroups.startup', () => {
  let model: HubGroupsModel;
  let fake: FakeFetch;

  beforeEach(() => {
    jest.useFakeTimers();
    setVisibility('visible');
    fake = new FakeFetch();
  });

  afterEach(() => {
    model?.dispose();
    jest.useRealTimers();
  });

  it('asks the first me only with startup=1, and resolves with what it carried', async () => {
    fake
      .reply(200, { ...(me(['vox']) as object), startup: STARTUP })
      .reply(200, { ...(me(['vox']) as object), startup: STARTUP });
    model = await started(makeModel(fake));
    await refreshed(model);
    expect(fake.calls.map(url => url.includes('startup=1'))).toEqual([
      true,
      false
    ]);
    await expect(model.startup).resolves.toEqual({
      manage: { groups: ['physics'] },
      presence: { people: [], me: 'vex', shared: true },
      collaborations: { collaborations: [], degraded: null },
      // The projects plugin reads its own fields in the object as sent.
      projects: STARTUP,
      coursesToJoin: [{ group: 'chem', enrolment: 'request' }]
    });
  });

  it('resolves with null for a first answer without it (an older server)', async () => {
    fake.reply(200, me(['vox']));
    model = await started(makeModel(fake));
    await expect(model.startup).resolves.toBeNull();
  });

  it('resolves with null after a failed first read, and a later answer changes nothing', async () => {
    fake
      .reply(502, { error: 'hub-timeout' })
      .reply(200, { ...(me(['vox']) as object), startup: STARTUP });
    model = await started(makeModel(fake));
    await expect(model.startup).resolves.toBeNull();
    await refreshed(model);
    expect(model.status).toBe('ready');
    // Asked again with startup=1 never: the plugins read their own.
    expect(fake.calls[1]).not.toContain('startup=1');
    await expect(model.startup).resolves.toBeNull();
  });

  it('resolves with null from the hub fallback (no server extension)', async () => {
    fake
      .reply(404, '<html>Not Found</html>')
      .reply(200, { ...(me(['vox']) as object), startup: STARTUP });
    model = await started(makeModel(fake));
    expect(model.source).toBe('hub');
    await expect(model.startup).resolves.toBeNull();
  });

  it('resolves with null outside a hub, with no request', async () => {
    model = makeModel(fake, { hub: null });
    await expect(model.startup).resolves.toBeNull();
    expect(fake.calls).toHaveLength(0);
  });

  it('resolves with null when disposed before an answer', async () => {
    fake.hold = true;
    model = makeModel(fake);
    model.start();
    await jest.advanceTimersByTimeAsync(0);
    model.dispose();
    await expect(model.startup).resolves.toBeNull();
  });
});

describe('readStartup', () => {
  it('is null for anything but an object', () => {
    for (const value of [undefined, null, 'x', 3, [STARTUP]]) {
      expect(readStartup(value)).toBeNull();
    }
  });

  it('has null for each part not there, and courses to join only as a list', () => {
    expect(readStartup({})).toEqual({
      manage: null,
      presence: null,
      collaborations: null,
      projects: {},
      coursesToJoin: null
    });
    expect(readStartup({ courses_to_join: {} })?.coursesToJoin).toBeNull();
    // [] means: ask the service nothing at start, not "unknown".
    expect(readStartup({ courses_to_join: [] })?.coursesToJoin).toEqual([]);
  });
});
