import { ReadModel } from '../../common/readmodel';
import { HubGroupsError } from '../../common/request';
import { afterStartup, seedWith, startSeeded } from '../../common/startup';
import { IHubGroups } from '../../tokens';
import { FakeGroups } from '../fakes';

/**
 * A model whose reads the test counts; a body is `{ n: number }`.
 */
class Counted extends ReadModel<number> {
  constructor() {
    super({ name: 'counted', interval: 60, auto: false });
  }
  reads = 0;
  protected async read(): Promise<number> {
    this.reads++;
    return 7;
  }
}

/** The reader of a body: its `n`, or a bad answer. */
const readN = (body: any): number => {
  if (typeof body?.n !== 'number') {
    throw HubGroupsError.badAnswer('no n');
  }
  return body.n;
};

const answer = (collaborations: unknown): IHubGroups.IStartup => ({
  manage: null,
  presence: null,
  collaborations,
  coursesToJoin: null
});

describe('afterStartup', () => {
  it('waits for JupyterLab to be restored and for the answer', async () => {
    const groups = new FakeGroups('ready');
    let resolveRestored!: () => void;
    const restored = new Promise<void>(r => (resolveRestored = r));
    groups.startup = Promise.resolve(answer({ n: 1 }));
    let got: IHubGroups.IStartup | null | undefined;
    void afterStartup({ restored }, groups).then(s => (got = s));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(got).toBeUndefined();
    resolveRestored();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(got?.collaborations).toEqual({ n: 1 });
  });

  it('gives null without a groups service', async () => {
    expect(await afterStartup({ restored: Promise.resolve() }, null)).toBe(
      null
    );
  });
});

describe('seedWith', () => {
  it('seeds with a body that can be read, and not otherwise', () => {
    const seeded = new Counted();
    seedWith(seeded, { n: 3 }, readN, 'collaborations');
    expect(seeded.value).toBe(3);
    expect(seeded.status).toBe('ready');

    const none = new Counted();
    seedWith(none, null, readN, 'collaborations');
    expect(none.status).toBe('loading');

    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    const bad = new Counted();
    seedWith(bad, { n: 'three' }, readN, 'collaborations');
    expect(bad.status).toBe('loading');
    expect(warn).toHaveBeenCalledWith(
      'jupyterlab-hub-groups: collaborations at start-up',
      expect.anything()
    );
    warn.mockRestore();
    for (const model of [seeded, none, bad]) {
      model.dispose();
    }
  });
});

describe('startSeeded', () => {
  const app = { restored: Promise.resolve() };

  it('starts seeded: no read at once', async () => {
    const groups = new FakeGroups('ready');
    groups.startup = Promise.resolve(answer({ n: 5 }));
    const model = new Counted();
    startSeeded(app, groups, model, 'collaborations', readN);
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(model.active).toBe(true);
    expect(model.value).toBe(5);
    expect(model.reads).toBe(0);
    model.dispose();
  });

  it('reads at once when the answer carried nothing for it', async () => {
    const groups = new FakeGroups('ready');
    groups.startup = Promise.resolve(answer(null));
    const model = new Counted();
    startSeeded(app, groups, model, 'collaborations', readN);
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(model.reads).toBe(1);
    expect(model.value).toBe(7);
    model.dispose();
  });
});
