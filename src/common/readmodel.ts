import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll, readAfter } from './poller';
import { HubGroupsError } from './request';

/**
 * A value read from the server (or the hub side), kept fresh while the
 * page is visible: the one life cycle of the package's models.
 *
 * #### Notes
 * A {@link PagePoll} schedules the reads: on the interval while the page
 * is visible, none while it is hidden, a backoff after failures. At most
 * one read is in flight: a tick or a refresh while one is joins it.
 * A refusal (401, 403) is an answer: the poll keeps its interval (the
 * user may be let in). Other failures back off, no such endpoint (404)
 * too: a server does not grow one while the page is open, and a hub
 * service that is restarting comes back. `changed` is emitted only when
 * the value, the status or the error's code changed.
 *
 * Subclasses implement {@link read} (one request, through `requestJson`,
 * parsed; it throws a `HubGroupsError`) and may override {@link equal};
 * {@link failed} and {@link dropStale} serve one that keeps a stale value
 * for a while only (the groups' grace period).
 */
export abstract class ReadModel<T> implements IDisposable {
  /**
   * @param options - The interval and its minimum, the poll's name.
   */
  constructor(options: ReadModel.IOptions) {
    this._poll = new PagePoll({
      auto: false,
      // A `refreshed` tick is refresh()'s, or a wake-up's (focus, shown).
      factory: ({ phase }) =>
        this._read(
          phase !== 'refreshed' ? 'tick' : this._refreshing ? 'refresh' : 'wake'
        ),
      interval: options.interval,
      minInterval: options.minInterval ?? 5,
      name: `jupyterlab-hub-groups:${options.name}`,
      // Focus and the page shown again read at once while the model polls
      // and its owner wants it.
      wakeWhen: options.wakeOnFocus
        ? () => this._active && options.wakeOnFocus!()
        : undefined
    });
    if (options.auto ?? true) {
      // After the subclass's constructor: the poll's first tick is async.
      this.start();
    }
  }

  /**
   * The last value read, or null: none yet, or none to show (refused,
   * absent, unavailable). Kept while `stale`.
   */
  get value(): T | null {
    return this._value;
  }

  /**
   * Where the value stands. See {@link ReadModel.Status}.
   */
  get status(): ReadModel.Status {
    return this._status;
  }

  /**
   * Why the last read failed, or null after a success.
   */
  get error(): HubGroupsError | null {
    return this._error;
  }

  /**
   * When the value was last read (or seeded), or null.
   */
  get lastUpdated(): Date | null {
    return this._lastUpdated;
  }

  /**
   * Emitted when the value, the status or the error's code changed.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Seconds between reads while the page is visible, at least the model's
   * minimum. A new value counts from now.
   */
  get interval(): number {
    return this._poll.interval;
  }
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * Whether the model polls. Setting it false stops polling (the value is
   * kept); true starts it again (a read at once).
   */
  get active(): boolean {
    return this._active;
  }
  set active(active: boolean) {
    if (active === this._active || this.isDisposed) {
      return;
    }
    if (active) {
      this.start();
    } else {
      this._active = false;
      void this._poll.stop();
    }
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /**
   * Start polling: a read at once, or one interval from now when the
   * value was seeded. Does nothing when started already.
   */
  start(): void {
    if (this.isDisposed || this._active) {
      return;
    }
    this._active = true;
    void (this._seeded ? this._poll.startLater() : this._poll.start());
  }

  /**
   * Read now; a read in flight is joined.
   *
   * @returns Resolves once that read is over; never rejects (see `status`
   *   and `error`).
   *
   * #### Notes
   * The poll's refresh-and-tick, as JupyterLab's `UserManager` does it.
   * The next interval counts from this read. A hidden page reads nothing.
   */
  async refresh(): Promise<void> {
    if (this.isDisposed) {
      return;
    }
    this._active = true;
    this._refreshing++;
    try {
      await this._poll.refresh();
      await this._poll.tick.catch(() => undefined); // rejects when disposed
    } finally {
      this._refreshing--;
    }
  }

  /**
   * Read again after a change the caller has just made: a read in flight
   * was sent before it, so its answer may not show it; it is never joined.
   *
   * @returns Resolves once the new read is over; never rejects.
   */
  readAgain(): Promise<void> {
    return readAfter(this._inFlight, () => this.refresh());
  }

  /**
   * Take a value known from elsewhere (the start-up answer of `me`) as
   * the first answer: the first read comes one interval after `start()`
   * instead of at once.
   *
   * @param value - The value, as {@link read} would give it.
   *
   * #### Notes
   * Ignored once something was read: a read's answer is newer.
   */
  seed(value: T): void {
    if (this.isDisposed || this._status !== 'loading' || this._inFlight) {
      return;
    }
    this._seeded = true;
    this.set(value);
    if (this._active) {
      // Started already, nothing read yet: the first read moves on.
      void this._poll.stop().then(() => {
        if (this._active) {
          void this._poll.startLater();
        }
      });
    }
  }

  /**
   * Stop polling and release the signal's connections. Idempotent.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._active = false;
    this._poll.dispose();
    Signal.clearData(this);
  }

  /**
   * One read: a request, its answer parsed.
   *
   * @param reason - What asks for it (see {@link ReadModel.Reason}); a
   *   read joined by others is asked for by the first.
   * @throws A `HubGroupsError` (anything else counts as `unavailable`).
   */
  protected abstract read(reason: ReadModel.Reason): Promise<T>;

  /**
   * Whether two values are the same (default: as JSON).
   */
  protected equal(a: T | null, b: T | null): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /**
   * Take a new value as an answer (a read's, or what a change the model
   * made answered): status `ready`.
   */
  protected set(value: T): void {
    this._lastUpdated = new Date();
    this._update('ready', value, null);
  }

  /**
   * Emit `changed` (for what a subclass adds to the value, e.g. what it
   * hears elsewhere).
   */
  protected emitChanged(): void {
    this._changed.emit();
  }

  /**
   * A read failed: called once the status and the error say how (and
   * `changed` was emitted if they changed), before the poll backs off.
   * Default: nothing.
   *
   * @param error - Why the read failed (also {@link error}).
   */
  protected failed(error: HubGroupsError): void {
    // Nothing by default.
  }

  /**
   * Drop the value kept while `stale`: status `unavailable`, the error
   * kept (for a subclass that keeps a stale value for a while only). Does
   * nothing unless `stale`.
   */
  protected dropStale(): void {
    if (this._status === 'stale') {
      this._update('unavailable', null, this._error);
    }
  }

  private _read(reason: ReadModel.Reason): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this.read(reason)
        .then(
          value => this.set(value),
          reason => this._failed(HubGroupsError.from(reason))
        )
        .finally(() => {
          this._inFlight = null;
          this._seeded = false;
        });
    }
    return this._inFlight;
  }

  /**
   * Take a failure; rethrow it when the poll should back off.
   */
  private _failed(error: HubGroupsError): void {
    if (error.refused) {
      this._update('refused', null, error);
      this.failed(error);
      return;
    }
    if (error.code === 'absent') {
      this._update('absent', null, error);
    } else {
      const kept = this._status === 'ready' || this._status === 'stale';
      this._update(
        kept ? 'stale' : 'unavailable',
        kept ? this._value : null,
        error
      );
    }
    this.failed(error);
    throw error;
  }

  private _update(
    status: ReadModel.Status,
    value: T | null,
    error: HubGroupsError | null
  ): void {
    const same =
      status === this._status &&
      (error?.code ?? null) === (this._error?.code ?? null) &&
      this.equal(value, this._value);
    this._status = status;
    this._value = value;
    this._error = error;
    if (!same) {
      this._changed.emit();
    }
  }

  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _value: T | null = null;
  private _status: ReadModel.Status = 'loading';
  private _error: HubGroupsError | null = null;
  private _lastUpdated: Date | null = null;
  private _active = false;
  private _seeded = false;
  private _refreshing = 0;
  private _changed = new Signal<this, void>(this);
}

/**
 * A namespace for ReadModel types.
 */
export namespace ReadModel {
  /**
   * The one status vocabulary of the package:
   * - `loading`: nothing read yet;
   * - `ready`: the value is the latest answer;
   * - `stale`: there was a value, the last read failed (it is kept);
   * - `refused`: 401 or 403, no value;
   * - `absent`: no such endpoint or service here (404), no value;
   * - `unavailable`: down, or an answer that could not be read, and no
   *   value before.
   */
  export type Status =
    'loading' | 'ready' | 'stale' | 'refused' | 'absent' | 'unavailable';

  /**
   * What asks for a read:
   * - `tick`: the start, the interval, the poll's backoff;
   * - `wake`: the window got focus or the page was shown again (with
   *   `wakeOnFocus`);
   * - `refresh`: {@link ReadModel.refresh} (or `readAgain`): someone wants
   *   the answer now.
   */
  export type Reason = 'tick' | 'wake' | 'refresh';

  /**
   * Options of a model.
   */
  export interface IOptions {
    /** The model's name (its poll's, for debugging). */
    name: string;
    /** Seconds between reads while the page is visible. */
    interval: number;
    /** The least interval in seconds (default 5). */
    minInterval?: number;
    /** Start polling at once (default true). */
    auto?: boolean;
    /**
     * Read at once when the window gets focus or the page is shown again,
     * while the model is active and this says yes (`() => true`: always).
     * Default: never.
     */
    wakeOnFocus?: () => boolean;
  }

  /**
   * Options of a model reading our server extension.
   */
  export interface IServerOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** Seconds between reads while the page is visible. */
    interval?: number;
    /** Start polling at once (default true). */
    auto?: boolean;
  }
}
