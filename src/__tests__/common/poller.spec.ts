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

  it('accepts intervals longer than its backoff limit', async () => {
    poll.interval = 24 * 60 * 60;
    void poll.start();
    await tick();
    expect(calls).toBe(1);
    expect(poll.interval).toBe(24 * 60 * 60);
  });
});
