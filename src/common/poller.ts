import { Poll } from '@lumino/polling';

/**
 * lumino's `Poll` the way every model of this package polls: an interval
 * in seconds, nothing at all while the page is hidden, and a backoff after
 * failures.
 *
 * #### Notes
 * The factory rejects for a failed request: the next tick then comes
 * later (between one and three intervals, at most five minutes unless the
 * interval is longer). `refresh()` asks at once unless the page is hidden;
 * asking again before that tick ran joins it. With `wakeWhen`, the window
 * getting focus or the page being shown again is such a refresh.
 */
export class PagePoll extends Poll<void, unknown, 'rescheduled'> {
  /**
   * @param options - The factory, the interval and the poll's name.
   */
  constructor(options: PagePoll.IOptions) {
    const minInterval = options.minInterval ?? 0;
    const interval = Private.toMs(options.interval, minInterval);
    super({
      auto: options.auto ?? true,
      factory: options.factory,
      frequency: {
        interval,
        backoff: true,
        max: Math.max(interval, Private.MAX_BACKOFF)
      },
      // No request at all once the page is hidden (Poll lingers one by default).
      linger: 0,
      name: options.name,
      standby: 'when-hidden'
    });
    this._minInterval = minInterval;
    this._wakeWhen = options.wakeWhen ?? null;
    if (this._wakeWhen) {
      window.addEventListener('focus', this._onWake);
      document.addEventListener('visibilitychange', this._onWake);
    }
  }

  /**
   * Stop polling and release the listeners. Idempotent.
   */
  dispose(): void {
    if (this._wakeWhen) {
      window.removeEventListener('focus', this._onWake);
      document.removeEventListener('visibilitychange', this._onWake);
    }
    super.dispose();
  }

  /**
   * Seconds between ticks while the page is visible, at least the poll's
   * minimum. A new value counts from now, not from the last tick.
   */
  get interval(): number {
    return this.frequency.interval / 1000;
  }
  set interval(seconds: number) {
    const interval = Private.toMs(seconds, this._minInterval);
    if (interval === this.frequency.interval) {
      return;
    }
    this.frequency = {
      ...this.frequency,
      interval,
      max: Math.max(interval, Private.MAX_BACKOFF)
    };
    this.postpone();
  }

  /**
   * Start polling with the first tick a whole interval from now (the
   * first answer is known from elsewhere).
   *
   * #### Notes
   * Like `start()`, does nothing to a poll already started.
   */
  startLater(): Promise<void> {
    return this.schedule({
      cancel: ({ phase }) =>
        phase !== 'constructed' && phase !== 'standby' && phase !== 'stopped',
      interval: this.frequency.interval,
      phase: 'rescheduled'
    });
  }

  /**
   * Wait a whole interval from now before the next tick.
   *
   * #### Notes
   * For a tick that is waiting only: a poll not started or stopped stays
   * so, and a tick due at once (starting, refreshing) still runs.
   */
  postpone(): void {
    if (Private.WAITING.has(this.state.phase)) {
      void this.schedule({
        interval: this.frequency.interval,
        phase: 'rescheduled'
      });
    }
  }

  /**
   * The window got focus, or the page was shown again: a tick now (phase
   * `refreshed`), if the owner wants one.
   *
   * #### Notes
   * Coming back to a page fires `visibilitychange` and `focus` together:
   * events within a second of the last one make no new tick. A poll not
   * started is never woken (`refresh` would start it).
   */
  private _onWake = (): void => {
    if (
      this.isDisposed ||
      document.visibilityState === 'hidden' ||
      !this._wakeWhen?.()
    ) {
      return;
    }
    const now = Date.now();
    if (now - this._lastWake < PagePoll.WAKE_WINDOW * 1000) {
      return;
    }
    this._lastWake = now;
    void this.refresh();
  };

  private _minInterval: number;
  private _wakeWhen: (() => boolean) | null;
  private _lastWake = 0;
}

/**
 * A namespace for PagePoll statics.
 */
export namespace PagePoll {
  /**
   * Seconds within which wake-ups (focus, page shown) make one tick.
   */
  export const WAKE_WINDOW = 1;

  /**
   * Options to create a poll.
   */
  export interface IOptions {
    /** The request of one tick; rejects when it failed. */
    factory: Poll.Factory<void, unknown, 'rescheduled'>;
    /** Seconds between ticks while the page is visible. */
    interval: number;
    /** The least interval in seconds (default 0). */
    minInterval?: number;
    /** The poll's name, for debugging. */
    name: string;
    /** Start polling at once (default true). */
    auto?: boolean;
    /**
     * Tick at once when the window gets focus or the page is shown again,
     * while this says yes (say no before the poll is started or while it
     * is stopped). Default: never.
     */
    wakeWhen?: () => boolean;
  }
}

/**
 * Read again once the read in flight, if any, is over, and never join it:
 * it was sent before a change the caller has just made, so its answer may
 * not show that change.
 *
 * @param inFlight - The read in flight, or null.
 * @param read - Starts a read (or joins one started after `inFlight`).
 * @returns Settles when that read is over; never rejects.
 */
export function readAfter(
  inFlight: Promise<unknown> | null,
  read: () => Promise<void>
): Promise<void> {
  return (inFlight ?? Promise.resolve())
    .catch(() => undefined)
    .then(read)
    .catch(() => undefined);
}

namespace Private {
  /**
   * The longest wait after failures, unless the interval is longer.
   */
  export const MAX_BACKOFF = 5 * 60 * 1000;

  /**
   * Phases in which the poll waits for its next tick.
   */
  export const WAITING = new Set<string>([
    'resolved',
    'rejected',
    'reconnected',
    'standby',
    'rescheduled'
  ]);

  /**
   * An interval in milliseconds, from seconds, within what Poll accepts.
   */
  export function toMs(seconds: number, minSeconds: number): number {
    const ms = Math.round(Math.max(minSeconds, seconds) * 1000);
    return Math.min(
      Number.isFinite(ms) ? ms : Poll.MAX_INTERVAL,
      Poll.MAX_INTERVAL
    );
  }
}
