import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll, readAfter } from '../../common/poller';
import { HubGroupsError } from '../../common/request';
import { EnrolmentClient, IPendingRequest } from '../client';

/**
 * The pending requests of every course the user manages (`GET pending`),
 * read while the page is visible, and which of them are new: what the
 * instructor is notified of.
 *
 * #### Notes
 * Read every `interval` seconds (30 by default) while the page is
 * visible and at once on window focus; nothing while it is hidden. A
 * request is announced once (`arrived`): each is remembered in this page,
 * and in the browser's storage with when a page last read it, so that
 * other tabs and a reload do not announce it again; one still pending
 * that no page read for {@link PendingModel.REMEMBER_HOURS} hours (the
 * instructor was away) is announced once more, as a reminder.
 * Failures keep the last list; a hub without the service stops reading.
 */
export class PendingModel implements IDisposable {
  /**
   * @param options - The client, the interval, the storage and its key.
   */
  constructor(options: PendingModel.IOptions) {
    this._client = options.client;
    this._storage =
      options.storage === undefined ? Private.localStorage() : options.storage;
    this._storageKey = `jupyterlab-hub-groups:announced:${options.user ?? ''}`;
    this._poll = new PagePoll({
      auto: false,
      factory: () => this.refresh(),
      interval: options.interval ?? 30,
      minInterval: PendingModel.MIN_INTERVAL,
      name: 'jupyterlab-hub-groups:enrolment/pending',
      // Focus and the page shown again read at once, while active.
      wakeWhen: () => this._active
    });
  }

  /**
   * The pending requests, oldest first, as last read.
   */
  get pending(): readonly IPendingRequest[] {
    return this._pending;
  }

  /**
   * Emitted when the list changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted with the requests not announced before (one emission per read
   * that found any).
   */
  get arrived(): ISignal<this, readonly IPendingRequest[]> {
    return this._arrived;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Whether reading is on.
   */
  get active(): boolean {
    return this._active;
  }

  /**
   * Turn reading on (at once, then on the interval and on focus) or off:
   * on while the user manages a group.
   */
  set active(active: boolean) {
    if (active === this._active || this._isDisposed || this._absent) {
      return;
    }
    this._active = active;
    void (active ? this._poll.start() : this._poll.stop());
  }

  /**
   * Seconds between reads while the page is visible (at least 10).
   */
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * Read now; joins a read in flight.
   *
   * @returns Rejects when the read failed.
   */
  refresh(): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._read().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
  }

  /**
   * A request was decided here: read again (after a read in flight, whose
   * answer may still list it), so that the notification follows.
   */
  decidedHere(): void {
    if (this._active) {
      void readAfter(this._inFlight, () => this.refresh());
    }
  }

  /**
   * Stop reading. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _read(): Promise<void> {
    let pending: IPendingRequest[];
    try {
      pending = await this._client.pending();
    } catch (reason) {
      const code = HubGroupsError.from(reason).code;
      if ((code === 'absent' && !this._hasRead) || code === 'no-access') {
        // Nothing to read here (no service, or a page token without the
        // right to call it): stop until a reload. A service that answered
        // before is only away (a hub restarting): the poll backs off.
        this._absent = true;
        this._active = false;
        void this._poll.stop();
        return;
      }
      throw reason;
    }
    this._hasRead = true;
    const key = JSON.stringify(pending);
    if (key !== this._lastKey) {
      this._lastKey = key;
      this._pending = pending;
      this._changed.emit();
    }
    const fresh = this._unannounced(pending);
    if (fresh.length) {
      this._arrived.emit(fresh);
    }
  }

  /**
   * The requests not announced yet, now marked as announced.
   */
  private _unannounced(pending: readonly IPendingRequest[]): IPendingRequest[] {
    const now = Date.now();
    const stored = this._load();
    const keep: Record<string, number> = {};
    const fresh: IPendingRequest[] = [];
    for (const p of pending) {
      const key = Private.key(p);
      const when = stored[key];
      const remembered =
        typeof when === 'number' &&
        now - when < PendingModel.REMEMBER_HOURS * 3600 * 1000;
      if (!this._seen.has(key) && !remembered) {
        fresh.push(p);
      }
      // When a page last read it: pages open all along keep it announced.
      keep[key] = now;
      this._seen.add(key);
    }
    // Only what is still pending: decided requests are forgotten.
    this._save(keep);
    return fresh;
  }

  private _load(): Record<string, number> {
    try {
      const value = JSON.parse(
        this._storage?.getItem(this._storageKey) ?? '{}'
      );
      return value && typeof value === 'object' ? value : {};
    } catch {
      return {};
    }
  }

  private _save(value: Record<string, number>): void {
    try {
      this._storage?.setItem(this._storageKey, JSON.stringify(value));
    } catch {
      // storage full or refused: this page still remembers
    }
  }

  private _client: EnrolmentClient;
  private _storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  private _storageKey: string;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _pending: readonly IPendingRequest[] = [];
  private _seen = new Set<string>();
  private _lastKey = '';
  private _active = false;
  private _absent = false;
  private _hasRead = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _arrived = new Signal<this, readonly IPendingRequest[]>(this);
}

/**
 * A namespace for PendingModel statics.
 */
export namespace PendingModel {
  /**
   * The least interval between reads, in seconds.
   *
   * #### Notes
   * The schema's minimum (`schema/courses.json`, `pendingInterval`) says the same for the settings editor; a
   * jest spec (\`__tests__/courses/schema.spec.ts\`) holds the two equal.
   * The code does not import the schema: it lies outside tsc's \`rootDir\`
   * (\`src\`), and would put the whole schema into the page's start path
   * for one number.
   */
  export const MIN_INTERVAL = 10;

  /**
   * Hours after the last read by any page that a request still pending
   * is announced again.
   */
  export const REMEMBER_HOURS = 12;

  /**
   * Options to create the model.
   */
  export interface IOptions {
    /** The enrolment service's client. */
    client: EnrolmentClient;
    /** Seconds between reads while the page is visible (30; at least 10). */
    interval?: number;
    /** Where announced requests are remembered (default: localStorage; null: nowhere). */
    storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
    /** The hub user (the storage is per user). */
    user?: string;
  }
}

namespace Private {
  /**
   * A request's identity: a new request after a decision is new.
   */
  export function key(p: IPendingRequest): string {
    return JSON.stringify([p.group, p.user, p.created]);
  }

  /**
   * The browser's storage, or null where it is refused.
   */
  export function localStorage(): Storage | null {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }
}
