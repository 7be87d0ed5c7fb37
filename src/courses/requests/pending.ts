import { ISignal, Signal } from '@lumino/signaling';

import { ReadModel } from '../../common/readmodel';
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
export class PendingModel extends ReadModel<readonly IPendingRequest[]> {
  /**
   * @param options - The client, the interval, the storage and its key.
   */
  constructor(options: PendingModel.IOptions) {
    super({
      name: 'enrolment/pending',
      interval: options.interval ?? 30,
      minInterval: PendingModel.MIN_INTERVAL,
      auto: false,
      wakeOnFocus: () => true
    });
    this._client = options.client;
    this._storage =
      options.storage === undefined ? Private.localStorage() : options.storage;
    this._storageKey = `jupyterlab-hub-groups:announced:${options.user ?? ''}`;
  }

  /**
   * The pending requests, oldest first, as last read (kept while stale).
   */
  get pending(): readonly IPendingRequest[] {
    return this.value ?? [];
  }

  /**
   * Emitted with the requests not announced before (one emission per read
   * that found any).
   */
  get arrived(): ISignal<this, readonly IPendingRequest[]> {
    return this._arrived;
  }

  /**
   * Whether reading is on: on while the user manages a group (at once,
   * then on the interval and on focus); never again once there is
   * nothing to read here.
   */
  get active(): boolean {
    return super.active;
  }
  set active(active: boolean) {
    if (!this._stopped) {
      super.active = active;
    }
  }

  /**
   * A request was decided here: read again (after a read in flight, whose
   * answer may still list it), so that the notification follows.
   */
  decidedHere(): void {
    if (this.active) {
      void this.readAgain();
    }
  }

  protected async read(): Promise<readonly IPendingRequest[]> {
    let pending: IPendingRequest[];
    try {
      pending = await this._client.pending();
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      if (
        (error.code === 'absent' && this.status === 'loading') ||
        error.code === 'no-access'
      ) {
        // Nothing to read here (no service, or a page token without the
        // right to call it): stop until a reload. A service that answered
        // before is only away (a hub restarting): the poll backs off.
        this.active = false;
        this._stopped = true;
      }
      throw error;
    }
    this._fresh = this._unannounced(pending);
    return pending;
  }

  protected set(value: readonly IPendingRequest[]): void {
    super.set(value);
    const fresh = this._fresh;
    this._fresh = [];
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
  private _seen = new Set<string>();
  private _fresh: IPendingRequest[] = [];
  private _stopped = false;
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
