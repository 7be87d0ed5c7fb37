import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

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
 * A value read from one of our server endpoints, kept fresh while the page
 * is visible.
 *
 * #### Notes
 * A {@link PagePoll} schedules the requests; a refresh asked for while one
 * is in flight joins it. `changed` is emitted only when what was read
 * changed.
 *
 * @deprecated Use `ReadModel` (`readmodel.ts`); kept until the course
 * management model moves onto it, then removed.
 */
export abstract class EndpointPoller implements IDisposable {
  constructor(options: EndpointPoller.IOptions) {
    this.serverSettings = options.serverSettings;
    this._endpoint = options.endpoint;
    this._poll = new PagePoll({
      auto: options.auto,
      factory: () => this.refresh(),
      interval: options.interval,
      minInterval: 5,
      name: `jupyterlab-hub-groups:${options.endpoint}`
    });
  }

  /**
   * Emitted when the value or the state changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /**
   * Change the interval (seconds, at least 5); it counts from now.
   */
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * Start polling (when created with `auto: false`).
   */
  start(): Promise<void> {
    return this._poll.start();
  }

  /**
   * Ask again now; joins a request already in flight.
   *
   * @returns Resolves with the answer; rejects when the request failed.
   */
  refresh(): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._fetch().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /**
   * Query parameters of the next request.
   */
  protected query(): string {
    return '';
  }

  /**
   * Take in a response (any status); throw to count it as a failure.
   */
  protected abstract read(response: Response, body: any): void;

  /**
   * Called when the request itself failed (network).
   */
  protected abstract failed(): void;

  /**
   * Emit `changed` if `snapshot` differs from the last one.
   */
  protected emitIfChanged(snapshot: unknown): void {
    const key = JSON.stringify(snapshot);
    if (key !== this._lastKey) {
      this._lastKey = key;
      this._changed.emit();
    }
  }

  /**
   * Settings of the server serving this page.
   */
  protected readonly serverSettings: ServerConnection.ISettings;

  private async _fetch(): Promise<void> {
    const url =
      URLExt.join(this.serverSettings.baseUrl, this._endpoint) + this.query();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        { cache: 'no-store' },
        this.serverSettings
      );
    } catch (reason) {
      this.failed();
      throw reason; // the poll backs off
    }
    let body: any = null;
    try {
      body = await response.json();
    } catch {
      // `read` decides what a body that is not JSON means
    }
    this.read(response, body);
  }

  private _endpoint: string;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _lastKey = '';
  private _changed = new Signal<this, void>(this);
}

/**
 * A namespace for EndpointPoller statics.
 */
export namespace EndpointPoller {
  /**
   * Options of a poller.
   */
  export interface IOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** The endpoint, below the server's base URL. */
    endpoint: string;
    /** Seconds between requests while the page is visible. */
    interval: number;
    /** Start polling at once (default true). */
    auto?: boolean;
  }

  /**
   * Options of the models built on a poller (the endpoint is theirs).
   */
  export interface IModelOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** Seconds between requests while the page is visible. */
    interval?: number;
    /** Start polling at once (default true). */
    auto?: boolean;
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
