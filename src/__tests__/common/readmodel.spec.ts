import { ReadModel } from '../../common/readmodel';
import { HubGroupsError } from '../../common/request';

interface IValue {
  n: number;
}

/**
 * A model whose reads take the scripted answers, in order; a read with
 * none left waits until `release`.
 */
class Scripted extends ReadModel<IValue> {
  constructor(options: Partial<ReadModel.IOptions> = {}) {
    super({ name: 'test', interval: 10, auto: false, ...options });
  }

  reads = 0;
  reasons: ReadModel.Reason[] = [];
  answers: Array<IValue | Error> = [];
  private _held: Array<() => void> = [];

  /** Answer the reads waiting, each with the next scripted answer. */
  release(): void {
    for (const go of this._held.splice(0)) {
      go();
    }
  }

  protected read(reason: ReadModel.Reason): Promise<IValue> {
    this.reads++;
    this.reasons.push(reason);
    return new Promise((resolve, reject) => {
      const go = () => {
        const next = this.answers.shift();
        if (next === undefined) {
          this._held.push(go);
        } else if (next instanceof Error) {
          reject(next);
        } else {
          resolve(next);
        }
      };
      go();
    });
  }
}

const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);
const offline = () => new TypeError('Failed to fetch');

/** Refresh, letting the poll's timers run (they are fake here). */
async function refreshed(model: ReadModel<unknown>): Promise<void> {
  const done = model.refresh();
  await tick();
  await done;
}

describe('ReadModel', () => {
  let model: Scripted;
  let statuses: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    model = new Scripted();
    statuses = [];
    model.changed.connect(() => statuses.push(model.status));
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('status', () => {
    it('goes loading → ready with the value, and signals changes only', async () => {
      expect(model.status).toBe('loading');
      expect(model.value).toBeNull();
      model.answers.push({ n: 1 }, { n: 1 }, { n: 2 });
      await refreshed(model);
      expect(model.status).toBe('ready');
      expect(model.value).toEqual({ n: 1 });
      expect(model.lastUpdated).toBeInstanceOf(Date);
      await refreshed(model);
      await refreshed(model);
      expect(model.reads).toBe(3);
      expect(statuses).toEqual(['ready', 'ready']);
      expect(model.value).toEqual({ n: 2 });
    });

    it('keeps the value while stale, and drops the error when read again', async () => {
      model.answers.push({ n: 1 }, new HubGroupsError(502, 'hub-timeout'), {
        n: 1
      });
      await refreshed(model);
      const read = model.lastUpdated;
      await refreshed(model);
      expect(model.status).toBe('stale');
      expect(model.value).toEqual({ n: 1 });
      expect(model.error?.code).toBe('hub-timeout');
      expect(model.lastUpdated).toBe(read);
      await refreshed(model);
      expect(model.status).toBe('ready');
      expect(model.error).toBeNull();
      expect(statuses).toEqual(['ready', 'stale', 'ready']);
    });

    it('is unavailable after a first failure, anything thrown counting as no answer', async () => {
      model.answers.push(offline());
      await expect(refreshed(model)).resolves.toBeUndefined();
      expect(model.status).toBe('unavailable');
      expect(model.value).toBeNull();
      expect(model.error).toBeInstanceOf(HubGroupsError);
      expect(model.error?.code).toBe('unavailable');
    });

    it.each([
      [401, 'refused'],
      [403, 'refused'],
      [404, 'absent']
    ])('a %s drops the value: %s', async (status, expected) => {
      model.answers.push(
        { n: 1 },
        new HubGroupsError(status, status === 404 ? 'absent' : 'refused')
      );
      await refreshed(model);
      await refreshed(model);
      expect(model.status).toBe(expected);
      expect(model.value).toBeNull();
    });

    it('a bad answer after a refusal is unavailable, not stale', async () => {
      model.answers.push(
        new HubGroupsError(403, 'not-a-member'),
        HubGroupsError.badAnswer('no list')
      );
      await refreshed(model);
      await refreshed(model);
      expect(model.status).toBe('unavailable');
      expect(model.error?.code).toBe('bad-answer');
    });

    it('signals a new error code with the same status', async () => {
      model.answers.push(
        new HubGroupsError(403, 'not-a-member'),
        new HubGroupsError(403, 'hub-refused'),
        new HubGroupsError(403, 'hub-refused')
      );
      await refreshed(model);
      await refreshed(model);
      await refreshed(model);
      expect(statuses).toEqual(['refused', 'refused']);
    });

    it('compares values as the subclass says', async () => {
      class Loose extends Scripted {
        protected equal(a: IValue | null, b: IValue | null): boolean {
          return (a?.n ?? 0) % 2 === (b?.n ?? 0) % 2;
        }
      }
      const loose = new Loose();
      let changes = 0;
      loose.changed.connect(() => changes++);
      loose.answers.push({ n: 1 }, { n: 3 }, { n: 4 });
      await refreshed(loose);
      await refreshed(loose);
      expect(changes).toBe(1);
      await refreshed(loose);
      expect(changes).toBe(2);
      loose.dispose();
    });
  });

  describe('scheduling', () => {
    it('reads at start, then on the interval', async () => {
      model.answers.push({ n: 1 }, { n: 2 });
      model.start();
      await tick();
      expect(model.reads).toBe(1);
      await tick(9_999);
      expect(model.reads).toBe(1);
      await tick(1);
      expect(model.reads).toBe(2);
      expect(model.active).toBe(true);
    });

    it('starts by itself unless told not to', async () => {
      const auto = new Scripted({ auto: true });
      auto.answers.push({ n: 1 });
      await tick();
      expect(auto.reads).toBe(1);
      expect(auto.status).toBe('ready');
      auto.dispose();
    });

    it('backs off after a failure or an absence, not after a refusal', async () => {
      // The backoff's random wait at its longest: three intervals.
      jest.spyOn(Math, 'random').mockReturnValue(0.999);
      model.answers.push({ n: 1 }, offline(), { n: 2 });
      model.start();
      await tick();
      await tick(10_000);
      expect(model.reads).toBe(2);
      expect(model.status).toBe('stale');
      await tick(10_000);
      expect(model.reads).toBe(2);
      await tick(20_000);
      expect(model.reads).toBe(3);

      const refused = new Scripted();
      refused.answers.push(
        { n: 1 },
        new HubGroupsError(403, 'refused'),
        new HubGroupsError(404, 'absent'),
        { n: 2 }
      );
      refused.start();
      await tick();
      await tick(10_000);
      expect(refused.status).toBe('refused');
      await tick(10_000);
      expect(refused.status).toBe('absent');
      await tick(10_000);
      expect(refused.reads).toBe(3); // backing off
      await tick(20_000);
      expect(refused.reads).toBe(4);
      refused.dispose();
    });

    it('joins a read in flight on refresh, and resolves once it is over', async () => {
      model.start();
      await tick();
      expect(model.reads).toBe(1);
      let done = 0;
      void model.refresh().then(() => done++);
      void model.refresh().then(() => done++);
      await tick();
      expect(model.reads).toBe(1);
      expect(done).toBe(0);
      model.answers.push({ n: 1 });
      model.release();
      await tick();
      expect(done).toBe(2);
      expect(model.reads).toBe(1);
      expect(model.value).toEqual({ n: 1 });
    });

    it('counts the next interval from a refresh', async () => {
      model.answers.push({ n: 1 }, { n: 2 }, { n: 3 });
      model.start();
      await tick();
      await tick(6_000);
      await refreshed(model);
      expect(model.reads).toBe(2);
      await tick(9_000);
      expect(model.reads).toBe(2);
      await tick(1_000);
      expect(model.reads).toBe(3);
    });

    it('reads again after a change, never joining the read in flight', async () => {
      model.start();
      await tick();
      expect(model.reads).toBe(1);
      let done = false;
      void model.readAgain().then(() => (done = true));
      model.answers.push({ n: 1 }); // the old read's answer
      model.release();
      await tick();
      expect(model.reads).toBe(2);
      expect(done).toBe(false);
      model.answers.push({ n: 2 });
      model.release();
      await tick();
      expect(done).toBe(true);
      expect(model.value).toEqual({ n: 2 });
    });

    it('reads again after a change made while a refresh is in flight', async () => {
      model.answers.push({ n: 1 });
      model.start();
      await tick();
      expect(model.reads).toBe(1);
      const refreshing = model.refresh();
      await tick();
      expect(model.reads).toBe(2);
      let done = false;
      void model.readAgain().then(() => (done = true));
      model.answers.push({ n: 2 }); // the refresh's answer, sent before the change
      model.release();
      await tick();
      await refreshing;
      expect(model.reads).toBe(3);
      expect(done).toBe(false);
      model.answers.push({ n: 3 });
      model.release();
      await tick();
      expect(done).toBe(true);
      expect(model.value).toEqual({ n: 3 });
    });

    it('applies a new interval from now, never below its minimum', async () => {
      model.answers.push({ n: 1 }, { n: 2 });
      model.start();
      await tick();
      model.interval = 1;
      expect(model.interval).toBe(5);
      await tick(4_999);
      expect(model.reads).toBe(1);
      await tick(1);
      expect(model.reads).toBe(2);
    });

    it('stops and starts again with active, keeping the value', async () => {
      model.answers.push({ n: 1 }, { n: 2 });
      model.start();
      await tick();
      model.active = false;
      expect(model.active).toBe(false);
      await tick(60_000);
      expect(model.reads).toBe(1);
      expect(model.value).toEqual({ n: 1 });
      model.active = true;
      await tick();
      expect(model.reads).toBe(2);
      expect(model.value).toEqual({ n: 2 });
    });

    it('reads nothing once disposed', async () => {
      model.answers.push({ n: 1 });
      model.start();
      await tick();
      model.dispose();
      model.dispose();
      expect(model.isDisposed).toBe(true);
      await refreshed(model);
      await tick(60_000);
      expect(model.reads).toBe(1);
    });
  });

  describe('wakeOnFocus', () => {
    it('reads on focus while active and the owner says yes, never otherwise', async () => {
      let wanted = true;
      const woken = new Scripted({ wakeOnFocus: () => wanted });
      try {
        woken.answers.push({ n: 1 }, { n: 2 }, { n: 3 });
        window.dispatchEvent(new Event('focus'));
        await tick();
        expect(woken.reads).toBe(0); // not started: nothing
        woken.start();
        await tick(2_000);
        expect(woken.reads).toBe(1);
        window.dispatchEvent(new Event('focus'));
        await tick();
        expect(woken.reads).toBe(2);
        expect(woken.value).toEqual({ n: 2 });
        await tick(2_000);
        wanted = false;
        window.dispatchEvent(new Event('focus'));
        await tick();
        expect(woken.reads).toBe(2);
        wanted = true;
        woken.active = false;
        window.dispatchEvent(new Event('focus'));
        await tick();
        expect(woken.reads).toBe(2); // stopped: nothing
      } finally {
        woken.dispose();
      }
    });

    it('never reads on focus without the option', async () => {
      model.answers.push({ n: 1 }, { n: 2 });
      model.start();
      await tick(2_000);
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(model.reads).toBe(1);
    });
  });

  describe('hooks', () => {
    it('tells read what asks: start and interval, a wake-up, a refresh', async () => {
      const woken = new Scripted({ wakeOnFocus: () => true });
      try {
        for (let n = 1; n <= 5; n++) {
          woken.answers.push({ n });
        }
        woken.start();
        await tick();
        await tick(10_000);
        expect(woken.reasons).toEqual(['tick', 'tick']);
        window.dispatchEvent(new Event('focus'));
        await tick();
        expect(woken.reasons).toEqual(['tick', 'tick', 'wake']);
        await refreshed(woken);
        const again = woken.readAgain();
        await tick();
        await again;
        expect(woken.reasons).toEqual([
          'tick',
          'tick',
          'wake',
          'refresh',
          'refresh'
        ]);
        await tick(10_000);
        expect(woken.reasons[5]).toBe('tick');
      } finally {
        woken.dispose();
      }
    });

    it('calls failed once the status says how a read failed, never after an answer', async () => {
      class Hooked extends Scripted {
        seen: Array<[string, string, IValue | null]> = [];
        protected failed(error: HubGroupsError): void {
          this.seen.push([error.code, this.status, this.value]);
        }
      }
      const hooked = new Hooked();
      hooked.answers.push(
        { n: 1 },
        offline(),
        new HubGroupsError(403, 'refused'),
        new HubGroupsError(404, 'absent'),
        offline(),
        { n: 2 }
      );
      for (let i = 0; i < 6; i++) {
        await refreshed(hooked);
      }
      expect(hooked.seen).toEqual([
        ['unavailable', 'stale', { n: 1 }],
        ['refused', 'refused', null],
        ['absent', 'absent', null],
        ['unavailable', 'unavailable', null]
      ]);
      expect(hooked.status).toBe('ready');
      hooked.dispose();
    });

    it('dropStale drops a stale value, keeping the error; nothing else', async () => {
      class Dropping extends Scripted {
        drop(): void {
          this.dropStale();
        }
      }
      const dropping = new Dropping();
      const seen: string[] = [];
      dropping.changed.connect(() => seen.push(dropping.status));
      dropping.answers.push({ n: 1 }, offline(), offline(), { n: 2 });
      await refreshed(dropping);
      dropping.drop(); // ready: kept
      expect(dropping.value).toEqual({ n: 1 });
      await refreshed(dropping);
      expect(dropping.status).toBe('stale');
      dropping.drop();
      expect(dropping.status).toBe('unavailable');
      expect(dropping.value).toBeNull();
      expect(dropping.error?.code).toBe('unavailable');
      dropping.drop();
      await refreshed(dropping); // nothing to keep any more
      expect(dropping.status).toBe('unavailable');
      await refreshed(dropping);
      expect(dropping.status).toBe('ready');
      expect(seen).toEqual(['ready', 'stale', 'unavailable', 'ready']);
      dropping.dispose();
    });
  });

  describe('seed', () => {
    it('takes the value without a read, and reads one interval after start', async () => {
      model.seed({ n: 7 });
      expect(model.status).toBe('ready');
      expect(model.value).toEqual({ n: 7 });
      expect(model.lastUpdated).toBeInstanceOf(Date);
      expect(statuses).toEqual(['ready']);
      model.answers.push({ n: 8 });
      model.start();
      await tick();
      expect(model.reads).toBe(0);
      await tick(9_999);
      expect(model.reads).toBe(0);
      await tick(1);
      expect(model.reads).toBe(1);
      expect(model.value).toEqual({ n: 8 });
    });

    it('moves the first read of a model started already', async () => {
      model.answers.push({ n: 8 });
      model.start();
      model.seed({ n: 7 });
      await tick();
      expect(model.reads).toBe(0);
      await tick(10_000);
      expect(model.reads).toBe(1);
    });

    it('is ignored once something was read', async () => {
      model.answers.push({ n: 1 });
      await refreshed(model);
      model.seed({ n: 7 });
      expect(model.value).toEqual({ n: 1 });
    });

    it('starting again after a stop reads at once once a read was made', async () => {
      model.seed({ n: 7 });
      model.answers.push({ n: 8 }, { n: 9 });
      model.start();
      await tick(10_000);
      expect(model.reads).toBe(1);
      model.active = false;
      model.active = true;
      await tick();
      expect(model.reads).toBe(2);
    });
  });
});
