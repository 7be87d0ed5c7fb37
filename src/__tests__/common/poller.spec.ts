import { PagePoll } from '../../common/poller';

describe('PagePoll', () => {
  let calls: number;
  let poll: PagePoll;
  const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers();
    calls = 0;
    poll = new PagePoll({
      auto: false,
      factory: async () => {
        calls++;
      },
      interval: 60,
      minInterval: 5,
      name: 'test'
    });
  });

  afterEach(() => {
    poll.dispose();
    jest.useRealTimers();
  });

  it('ticks on its interval, in seconds', async () => {
    void poll.start();
    await tick();
    expect(calls).toBe(1);
    await tick(59_999);
    expect(calls).toBe(1);
    await tick(1);
    expect(calls).toBe(2);
    expect(poll.interval).toBe(60);
  });

  it('counts a new interval from now, and never below its minimum', async () => {
    void poll.start();
    await tick(30_000);
    poll.interval = 1;
    expect(poll.interval).toBe(5);
    await tick(4_999);
    expect(calls).toBe(1);
    await tick(1);
    expect(calls).toBe(2);
  });

  it('postpones a waiting tick only: a poll not started stays so', async () => {
    poll.postpone();
    poll.interval = 10;
    await tick(60_000);
    expect(calls).toBe(0);
    void poll.start();
    await tick();
    await tick(9_000);
    poll.postpone();
    await tick(9_000);
    expect(calls).toBe(1);
    await tick(1_000);
    expect(calls).toBe(2);
  });

  it('starts later: the first tick a whole interval from now, once', async () => {
    void poll.startLater();
    await tick(59_999);
    expect(calls).toBe(0);
    await tick(1);
    expect(calls).toBe(1);
    // Started already: nothing moves.
    void poll.startLater();
    void poll.start();
    await tick(60_000);
    expect(calls).toBe(2);
  });

  it('accepts intervals longer than its backoff limit', async () => {
    poll.interval = 24 * 60 * 60;
    void poll.start();
    await tick();
    expect(calls).toBe(1);
    expect(poll.interval).toBe(24 * 60 * 60);
  });

  describe('wakeWhen', () => {
    let wake: boolean;
    let phases: string[];
    let woken: PagePoll;

    beforeEach(() => {
      wake = false;
      phases = [];
      woken = new PagePoll({
        auto: false,
        factory: async ({ phase }) => {
          phases.push(phase);
        },
        interval: 60,
        name: 'woken',
        wakeWhen: () => wake
      });
    });

    afterEach(() => woken.dispose());

    it('ticks on focus and on the page shown again, once for a burst, while it says yes', async () => {
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(phases).toEqual([]); // says no (not started): nothing
      wake = true;
      void woken.start();
      await tick();
      expect(phases).toEqual(['started']);
      await tick(2_000);
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
      await tick();
      expect(phases).toEqual(['started', 'refreshed']);
      // A second later, the next wake-up is a tick of its own.
      await tick(PagePoll.WAKE_WINDOW * 1000);
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(phases).toEqual(['started', 'refreshed', 'refreshed']);
      await tick(2_000);
      wake = false;
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(phases).toHaveLength(3);
    });

    it('lets go of the window when disposed', async () => {
      wake = true;
      void woken.start();
      await tick();
      woken.dispose();
      await tick(2_000);
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(phases).toEqual(['started']);
    });

    it('a poll without it ignores focus', async () => {
      void poll.start();
      await tick();
      await tick(2_000);
      window.dispatchEvent(new Event('focus'));
      await tick();
      expect(calls).toBe(1);
    });
  });
});
