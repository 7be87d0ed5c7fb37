import { HubGroupsModel } from '../../groups/model';
import {
  FakeFetch,
  makeModel,
  me,
  refreshed,
  setVisibility,
  started
} from './fakefetch';

describe('HubGroupsModel: scheduling', () => {
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

  describe('scheduling', () => {
    /** Let the poll's timers run for `ms` (0: what is due now). */
    const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);
    const focus = () => window.dispatchEvent(new Event('focus'));

    it('keeps at most one request in flight', async () => {
      fake.hold = true;
      model = makeModel(fake);
      model.start();
      await tick();
      expect(fake.calls).toHaveLength(1);
      const a = model.refresh();
      const b = model.refresh();
      focus();
      await tick();
      expect(fake.calls).toHaveLength(1);
      fake.releaseAll(200, me(['vox']));
      await Promise.all([a, b]);
      await tick();
      expect(fake.calls).toHaveLength(1);
      expect(model.status).toBe('ready');
    });

    it('refreshes on window focus', async () => {
      fake
        .reply(200, me(['vox']))
        .reply(200, me(['vox', 'Class1234_Semester02']));
      model = await started(makeModel(fake));
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      expect(model.isMemberOfAny(['Class1234_Semester02'])).toBe(true);
    });

    it('makes one request for focus and visibilitychange fired together', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = await started(makeModel(fake));
      document.dispatchEvent(new Event('visibilitychange'));
      focus();
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
    });

    it('makes no new request for wake-ups within a second of the last one', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake));
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      // The answer is in; the page's visibilitychange of the same return
      // comes later than the focus.
      await tick(500);
      setVisibility('visible');
      focus();
      await tick(500);
      expect(fake.calls).toHaveLength(2);
      focus();
      await tick();
      expect(fake.calls).toHaveLength(3);
    });

    it('refreshes on the interval while visible', async () => {
      for (let i = 0; i < 4; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(59_000);
      expect(fake.calls).toHaveLength(1);
      await tick(1_000);
      expect(fake.calls).toHaveLength(2);
      await tick(60_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('makes no request while the page is hidden, and catches up when shown', async () => {
      fake.reply(200, me(['vox'])).reply(200, me(['vox']));
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      setVisibility('hidden');
      focus(); // a window can get focus while its page is hidden
      await tick(10 * 60_000);
      expect(fake.calls).toHaveLength(1);
      setVisibility('visible');
      await tick();
      expect(fake.calls).toHaveLength(2);
    });

    it('does not start while hidden, and fetches when shown', async () => {
      setVisibility('hidden');
      fake.reply(200, me(['vox']));
      model = makeModel(fake);
      model.start();
      await tick(120_000);
      expect(fake.calls).toHaveLength(0);
      setVisibility('visible');
      await tick();
      await model.ready;
      expect(model.status).toBe('ready');
    });

    it('shown again: asks at once, then waits a whole interval', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(20_000);
      setVisibility('hidden');
      setVisibility('visible');
      await tick();
      expect(fake.calls).toHaveLength(2);
      await tick(59_000);
      expect(fake.calls).toHaveLength(2);
      await tick(1_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('counts the interval from the last answer, focus and refresh included', async () => {
      for (let i = 0; i < 4; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(40_000);
      focus();
      await tick();
      expect(fake.calls).toHaveLength(2);
      await tick(59_000); // 99 s
      expect(fake.calls).toHaveLength(2);
      await refreshed(model); // 99 s
      expect(fake.calls).toHaveLength(3);
      await tick(59_000); // 158 s
      expect(fake.calls).toHaveLength(3);
      await tick(1_000); // 159 s
      expect(fake.calls).toHaveLength(4);
    });

    it('applies a new interval at once, never below 10 seconds', async () => {
      for (let i = 0; i < 3; i++) {
        fake.reply(200, me(['vox']));
      }
      model = await started(makeModel(fake, { refreshInterval: 60 }));
      await tick(30_000);
      model.configure({ refreshInterval: 1 });
      expect(model.refreshInterval).toBe(10);
      await tick(9_000);
      expect(fake.calls).toHaveLength(1);
      await tick(1_000);
      expect(fake.calls).toHaveLength(2);
      await tick(10_000);
      expect(fake.calls).toHaveLength(3);
    });

    it('backs off after failures, at most five minutes apart; focus still asks at once', async () => {
      // The longest wait Poll may draw: three times the last one, capped.
      const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
      try {
        fake.reply(200, me(['vox']));
        for (let i = 0; i < 4; i++) {
          fake.fail();
        }
        model = await started(makeModel(fake, { refreshInterval: 60 }));
        await tick(60_000);
        expect(fake.calls).toHaveLength(2);
        expect(model.status).toBe('stale');
        await tick(170_000);
        expect(fake.calls).toHaveLength(2);
        await tick(10_000);
        expect(fake.calls).toHaveLength(3);
        await tick(299_000);
        expect(fake.calls).toHaveLength(3);
        await tick(1_000);
        expect(fake.calls).toHaveLength(4);
        focus();
        await tick();
        expect(fake.calls).toHaveLength(5);
      } finally {
        random.mockRestore();
      }
    });

    it('keeps the interval after a refusal (an answer), and backs off after other failures', async () => {
      // The longest wait Poll may draw after a failure: three intervals.
      const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
      try {
        fake
          .reply(200, me(['vox']))
          .reply(403, { error: 'hub-refused', message: 'Refused.' })
          .reply(200, me(['vox']));
        model = await started(makeModel(fake, { refreshInterval: 60 }));
        await tick(60_000);
        expect(model.status).toBe('refused');
        await tick(60_000);
        expect(fake.calls).toHaveLength(3);
        expect(model.status).toBe('ready');
      } finally {
        random.mockRestore();
      }
    });

    it('stops everything on dispose', async () => {
      fake.reply(200, me(['vox']));
      model = await started(makeModel(fake));
      model.dispose();
      model.dispose();
      focus();
      setVisibility('hidden');
      setVisibility('visible');
      await tick(10 * 60_000);
      expect(fake.calls).toHaveLength(1);
      expect(model.isDisposed).toBe(true);
    });
  });
});
