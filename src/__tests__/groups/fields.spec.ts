import { HubGroupsModel } from '../../groups/model';
import { IHubGroups } from '../../tokens';
import {
  FakeFetch,
  makeModel,
  me,
  refreshed,
  setVisibility,
  started
} from './fakefetch';

describe('HubGroupsModel: what else the answer says', () => {
  let model: HubGroupsModel;
  let fake: FakeFetch;
  let statuses: IHubGroups.Status[];

  beforeEach(() => {
    jest.useFakeTimers();
    setVisibility('visible');
    fake = new FakeFetch();
    statuses = [];
  });

  afterEach(() => {
    model?.dispose();
    jest.useRealTimers();
  });

  function track(m: HubGroupsModel): HubGroupsModel {
    m.changed.connect(() => statuses.push(m.status));
    return m;
  }

  describe('whether the page may call the hub-groups service', () => {
    it.each([
      ['says so', true, true],
      ['says not', false, false],
      ['does not say (an older server)', undefined, false],
      ['says something else', 'yes', false]
    ])(
      'follows our server extension, when it %s',
      async (_, value, expected) => {
        fake.reply(200, {
          ...(me(['vox']) as object),
          hub_groups_service: value
        });
        model = await started(makeModel(fake));
        expect(model.status).toBe('ready');
        expect(model.hubGroupsService).toBe(expected);
      }
    );

    it.each([
      [
        ['access:services!service=hub-groups', 'read:users:groups!user=vex'],
        true
      ],
      [['access:services'], true],
      [['access:services!service=other', 'access:servers!server=vex/'], false],
      [undefined, false],
      ['access:services', false]
    ])("reads the hub's own answer's scopes: %j", async (scopes, expected) => {
      fake
        .reply(404, { message: 'Not Found' })
        .reply(200, { name: 'vex', groups: ['vox'], scopes });
      model = await started(makeModel(fake));
      expect(model.source).toBe('hub');
      expect(model.hubGroupsService).toBe(expected);
    });

    it('is false before an answer, kept while stale, gone after a refusal, and changes are signalled', async () => {
      const yes = { ...(me(['vox']) as object), hub_groups_service: true };
      fake
        .reply(200, yes)
        .fail()
        .reply(403, { error: 'hub-refused', message: 'Refused.' })
        .reply(200, yes);
      model = makeModel(fake);
      const seen: boolean[] = [];
      model.changed.connect(() => seen.push(model.hubGroupsService));
      expect(model.hubGroupsService).toBe(false);
      await started(model);
      expect(model.hubGroupsService).toBe(true);
      await refreshed(model);
      expect(model.status).toBe('stale');
      expect(model.hubGroupsService).toBe(true);
      await refreshed(model);
      expect(model.status).toBe('refused');
      expect(model.hubGroupsService).toBe(false);
      await refreshed(model);
      expect(model.hubGroupsService).toBe(true);
      expect(seen).toEqual([true, true, false, true]);
    });

    it('is false outside a hub', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x',
        hub_groups_service: true
      });
      model = await started(makeModel(fake));
      expect(model.status).toBe('absent');
      expect(model.hubGroupsService).toBe(false);
    });
  });

  describe('groups joined since this server started', () => {
    const joined = (groups: string[], value: unknown) => ({
      ...(me(groups) as object),
      joined_since_start: value
    });

    it('takes them from our server extension, changes signalled', async () => {
      fake
        .reply(200, joined(['vox'], []))
        .reply(200, joined(['vox', 'mighty'], ['mighty']))
        .reply(200, joined(['vox', 'mighty'], ['mighty']));
      model = makeModel(fake);
      let changes = 0;
      model.changed.connect(() => changes++);
      await started(model);
      expect(model.joinedSinceStart).toEqual([]);
      await refreshed(model);
      expect(model.joinedSinceStart).toEqual(['mighty']);
      expect(changes).toBe(2);
      await refreshed(model);
      expect(changes).toBe(2);
    });

    it.each([
      ['not a list', 'mighty', []],
      ['other items', [7, null, 'mighty', { a: 1 }], ['mighty']],
      ['a group the answer does not hold', ['mighty', 'other'], ['mighty']],
      ['none (an older server)', undefined, []]
    ])('keeps only groups of the answer: %s', async (_, value, expected) => {
      fake.reply(200, joined(['vox', 'mighty'], value));
      model = await started(makeModel(fake));
      expect(model.joinedSinceStart).toEqual(expected);
    });

    it("has none from the hub's own answer, and none after a refusal", async () => {
      fake
        .reply(200, joined(['vox', 'mighty'], ['mighty']))
        .reply(403, { error: 'hub-refused', message: 'Refused.' });
      model = await started(makeModel(fake));
      expect(model.joinedSinceStart).toEqual(['mighty']);
      await refreshed(model);
      expect(model.joinedSinceStart).toEqual([]);

      const other = new FakeFetch()
        .reply(404, { message: 'Not Found' })
        .reply(200, {
          name: 'vex',
          groups: ['vox', 'mighty'],
          joined_since_start: ['mighty']
        });
      const direct = await started(makeModel(other));
      expect(direct.source).toBe('hub');
      expect(direct.joinedSinceStart).toEqual([]);
      direct.dispose();
    });
  });

  describe('spawn problems', () => {
    const REPLACED =
      "The hub's pre_spawn_hook was replaced after configure_hub: courses get no kernels.";
    let warn: jest.SpyInstance;

    beforeEach(() => {
      warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    });

    afterEach(() => {
      warn.mockRestore();
    });

    /** The console warnings about spawn problems. */
    const warned = () =>
      warn.mock.calls
        .map(args => String(args[0]))
        .filter(line => line.includes('problems when this server started'));

    function withProblems(problems: unknown, groups = ['vox']): unknown {
      return { ...(me(groups) as object), spawn_problems: problems };
    }

    it('takes the sentences of the answer', async () => {
      fake.reply(200, withProblems([REPLACED, '<img src=x onerror=alert(1)>']));
      model = await started(makeModel(fake));
      expect(model.spawnProblems).toEqual([
        REPLACED,
        '<img src=x onerror=alert(1)>'
      ]);
      expect(model.status).toBe('ready');
    });

    it('has none before the first answer, and in an older server’s answer without the field', async () => {
      fake.reply(200, me(['vox']));
      model = makeModel(fake);
      expect(model.spawnProblems).toEqual([]);
      await started(model);
      expect(model.spawnProblems).toEqual([]);
      expect(model.status).toBe('ready');
    });

    it.each([
      ['a string', REPLACED, []],
      ['an object', { 0: REPLACED }, []],
      ['null', null, []],
      ['a number', 7, []],
      [
        'other items among the sentences',
        [7, null, REPLACED, { a: 1 }, ['x'], '  '],
        [REPLACED]
      ]
    ])(
      'ignores what is not a sentence (%s) and keeps the groups',
      async (_, value, expected) => {
        fake.reply(200, withProblems(value));
        model = await started(makeModel(fake));
        expect(model.spawnProblems).toEqual(expected);
        expect(model.isMemberOfAny(['vox'])).toBe(true);
      }
    );

    it('keeps at most 20 sentences of at most 500 characters', async () => {
      const many = Array.from({ length: 30 }, (_, i) => `problem ${i}`);
      fake.reply(200, withProblems(['x'.repeat(2000), ...many]));
      model = await started(makeModel(fake));
      expect(model.spawnProblems).toHaveLength(20);
      expect(model.spawnProblems[0]).toHaveLength(500);
      expect(model.spawnProblems[1]).toBe('problem 0');
    });

    it('takes them from a server outside a hub too, none from the hub’s own API', async () => {
      fake.reply(200, {
        name: 'me',
        groups: [],
        source: 'no-hub',
        fetched_at: 'x',
        spawn_problems: [REPLACED]
      });
      model = await started(makeModel(fake));
      expect(model.status).toBe('absent');
      expect(model.spawnProblems).toEqual([REPLACED]);

      const other = new FakeFetch()
        .reply(404, { message: 'Not Found' })
        .reply(200, {
          name: 'vex',
          groups: ['vox'],
          spawn_problems: [REPLACED]
        });
      const direct = await started(makeModel(other));
      expect(direct.source).toBe('hub');
      expect(direct.spawnProblems).toEqual([]);
      direct.dispose();
    });

    it('emits changed when they change, and says them in the console once, not at each refresh', async () => {
      fake
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED]))
        .reply(200, withProblems([REPLACED, 'A profile undid the arguments.']))
        .reply(200, withProblems([]));
      model = track(makeModel(fake));
      let changes = 0;
      model.changed.connect(() => changes++);
      await started(model);
      expect(changes).toBe(1);
      expect(warned()).toHaveLength(1);
      expect(warned()[0]).toContain(REPLACED);

      await refreshed(model);
      await refreshed(model);
      expect(changes).toBe(1);
      expect(warned()).toHaveLength(1);

      // the server restarted with another problem: said once more
      await refreshed(model);
      expect(changes).toBe(2);
      expect(model.spawnProblems).toHaveLength(2);
      expect(warned()).toHaveLength(2);
      expect(warned()[1]).toContain('A profile undid the arguments.');

      await refreshed(model);
      expect(changes).toBe(3);
      expect(model.spawnProblems).toEqual([]);
      expect(warned()).toHaveLength(2);
      expect(statuses).toEqual(['ready', 'ready', 'ready']);
    });

    it('keeps them through failures: they are about the server, not the user', async () => {
      fake
        .reply(200, withProblems([REPLACED]))
        .fail()
        .reply(403, { error: 'hub-refused', message: 'Refused.' });
      model = await started(makeModel(fake));
      await refreshed(model);
      expect(model.status).toBe('stale');
      expect(model.spawnProblems).toEqual([REPLACED]);
      await refreshed(model);
      expect(model.status).toBe('refused');
      expect(model.groups.size).toBe(0);
      expect(model.spawnProblems).toEqual([REPLACED]);
    });
  });
});
