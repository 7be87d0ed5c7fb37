import { PageConfig } from '@jupyterlab/coreutils';

import {
  ProjectsClient,
  readProjects,
  readShares
} from '../../projects/client';
import { answer, API, FakeProjectsService } from './fakeservice';

describe('ProjectsClient', () => {
  let service: FakeProjectsService;
  let client: ProjectsClient;

  beforeEach(() => {
    service = new FakeProjectsService();
    client = service.client();
  });

  it('makes a project, sending the token in a header only, no cookie', async () => {
    const made = await client.create('orca', ['vax']);
    expect(made).toEqual({
      name: 'orca',
      account: 'orca-collab',
      kind: 'runtime',
      creator: 'vex',
      members: ['vax', 'vex'],
      mayManage: true,
      status: 'stopped'
    });
    const call = service.calls[0];
    expect(call.call).toBe('POST projects');
    expect(call.body).toEqual({ name: 'orca', members: ['vax'] });
    expect(call.url).not.toContain('page-token');
    expect((call.init.headers as any).Authorization).toBe('token page-token');
    expect(call.init.credentials).toBe('omit');
    expect(call.init.cache).toBe('no-store');
  });

  it("lists the caller's projects with the limit", async () => {
    service.projects = [
      {
        name: 'orca',
        creator: 'vex',
        members: ['vax', 'vex'],
        status: 'running'
      },
      { name: 'other', creator: 'fjord', members: ['fjord'], status: 'stopped' }
    ];
    const listing = await client.projects();
    expect(listing.projects.map(p => p.name)).toEqual(['orca']);
    expect(listing).toMatchObject({
      mayCreate: true,
      created: 1,
      maxPerPerson: 3
    });
  });

  it.each([
    ['too-many-projects', 409, () => (service.max = 0)],
    ['invalid-name', 400, () => undefined],
    ['name-taken', 409, () => service.people.push('Bad Name')]
  ])('keeps the refusal %s with its status', async (code, status, arrange) => {
    arrange();
    const name = code === 'name-taken' ? 'vax' : 'Bad Name';
    await expect(client.create(name, [])).rejects.toMatchObject({
      code,
      status
    });
  });

  it('escapes a name in paths, and adds, removes, starts and stops', async () => {
    service.projects = [
      { name: 'a b', creator: 'vex', members: ['vex'], status: 'stopped' }
    ];
    await client.members('a b', ['vax'], true);
    await client.members('a b', ['vax'], false);
    await client.server('a b', true);
    await client.server('a b', false);
    await client.remove('a b');
    expect(service.said).toEqual([
      'POST projects/a%20b/members',
      'DELETE projects/a%20b/members',
      'POST projects/a%20b/start',
      'POST projects/a%20b/stop',
      'DELETE projects/a%20b'
    ]);
    expect(service.calls[1].body).toEqual({ users: ['vax'] });
  });

  it('completes names with GET people?q=', async () => {
    await expect(client.people('v')).resolves.toEqual(['vax', 'vex']);
    expect(service.calls[0].url).toBe(`${API}people?q=v`);
  });

  it('shares, lists and revokes', async () => {
    await expect(client.share({ users: ['alice'] })).resolves.toEqual([
      { kind: 'user', user: 'alice' }
    ]);
    await expect(client.share({ group: 'course' })).resolves.toEqual([
      { kind: 'user', user: 'alice' },
      { kind: 'group', group: 'course', users: ['alice'] }
    ]);
    await expect(client.revoke({ user: 'alice' })).resolves.toHaveLength(1);
    await expect(client.shares()).resolves.toHaveLength(1);
    expect(service.calls[2].body).toEqual({ user: 'alice' });
  });

  it('fails an answer of the wrong shape as bad-answer', async () => {
    service.next.push(answer(200, { nope: [] }));
    await expect(client.projects()).rejects.toMatchObject({
      code: 'bad-answer'
    });
    service.next.push(answer(201, { name: 3 }));
    await expect(client.create('orca', [])).rejects.toMatchObject({
      code: 'bad-answer'
    });
  });

  describe('fromPage', () => {
    afterEach(() => {
      for (const key of ['hubPrefix', 'hubUser', 'hubServerUser', 'token']) {
        PageConfig.setOption(key, '');
      }
    });

    it("is the service's client of one's own server's page", () => {
      PageConfig.setOption('hubPrefix', '/jupyter/hub/');
      PageConfig.setOption('hubUser', 'vex');
      PageConfig.setOption('hubServerUser', 'vex');
      PageConfig.setOption('token', 'page-token');
      expect(ProjectsClient.fromPage()).not.toBeNull();
    });

    it("is null outside a hub, without a token, and on someone else's server", () => {
      expect(ProjectsClient.fromPage()).toBeNull();
      PageConfig.setOption('hubPrefix', '/hub/');
      expect(ProjectsClient.fromPage()).toBeNull(); // no token
      PageConfig.setOption('token', 'page-token');
      PageConfig.setOption('hubUser', 'vex');
      PageConfig.setOption('hubServerUser', 'vox-collab');
      expect(ProjectsClient.fromPage()).toBeNull();
    });
  });
});

describe('readers', () => {
  it('drops what is not a project and sorts by name; unknown states are unknown', () => {
    const listing = readProjects({
      projects: [
        { name: 'b', account: 'b-collab', status: 'sleeping', kind: 'file' },
        {
          name: 'a',
          account: 'a-collab',
          status: 'starting',
          members: ['x', 3]
        },
        { name: 7 },
        null
      ],
      may_create: 'yes',
      created: -1,
      max_per_person: 2
    });
    expect(listing.projects.map(p => [p.name, p.status, p.kind])).toEqual([
      ['a', 'starting', 'runtime'],
      ['b', 'unknown', 'file']
    ]);
    expect(listing.projects[0].members).toEqual(['x']);
    expect(listing).toMatchObject({
      mayCreate: false,
      created: 0,
      maxPerPerson: 2
    });
  });

  it('reads shares of people and groups only', () => {
    expect(
      readShares({
        shares: [
          { kind: 'user', user: 'alice' },
          { kind: 'group', group: 'course', users: ['alice', 1] },
          { kind: 'role', role: 'x' },
          { kind: 'user' }
        ]
      })
    ).toEqual([
      { kind: 'user', user: 'alice' },
      { kind: 'group', group: 'course', users: ['alice'] }
    ]);
    expect(() => readShares({})).toThrow('shares: no list');
  });
});
