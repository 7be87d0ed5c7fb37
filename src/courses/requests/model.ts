import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll, readAfter } from '../../common/poller';
import { HubGroupsError } from '../../common/request';
import { EnrolmentClient, ICourseRequest, IDecision } from '../client';

/**
 * The pending requests to join one course, for its members panel: read
 * while the panel is shown, approved or declined from there.
 *
 * #### Notes
 * The panel exists for any group the user manages; for a group that takes
 * no requests (the service answers `closed`), a hub without the service,
 * or a page that may not call it (`no-access`), `status` is `none` and the
 * panel shows no section. A list read before a decision finished is
 * dropped (the decision's own read is newer).
 */
export class CourseRequestsModel implements IDisposable {
  /**
   * @param options - The client, the course and seconds between reads.
   */
  constructor(options: CourseRequestsModel.IOptions) {
    this.group = options.group;
    this._client = options.client;
    this._poll = new PagePoll({
      auto: false,
      factory: () => this.refresh(),
      interval: options.interval ?? 10,
      minInterval: 5,
      name: `jupyterlab-hub-groups:enrolment/requests/${options.group}`,
      // Focus and the page shown again read at once, while a panel shows
      // the requests of a course that takes them.
      wakeWhen: () => this._active && this._status !== 'none'
    });
  }

  /**
   * The course.
   */
  readonly group: string;

  /**
   * Where the list stands:
   * - `loading`: no answer yet;
   * - `ready`: the service's latest answer;
   * - `stale`: the last read failed; the list is the one before;
   * - `error`: no list could be read (the service is down);
   * - `none`: no requests here (the course takes none, or this page may
   *   not ask): nothing to show.
   */
  get status(): CourseRequestsModel.Status {
    return this._status;
  }

  /**
   * The pending requests, oldest first.
   */
  get requests(): readonly ICourseRequest[] {
    return this._requests;
  }

  /**
   * The last failure's sentence, or null.
   */
  get error(): HubGroupsError | null {
    return this._error;
  }

  /**
   * Whether a decision is being made.
   */
  get busy(): boolean {
    return this._busy > 0;
  }

  /**
   * Emitted when anything above changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted after each decision made here (whatever its outcome).
   */
  get decided(): ISignal<this, void> {
    return this._decided;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Whether the list is kept fresh (while a panel shows it). Reads at
   * once when turned on.
   */
  get active(): boolean {
    return this._active;
  }
  set active(active: boolean) {
    if (active === this._active || this._isDisposed) {
      return;
    }
    this._active = active;
    void (active && this._status !== 'none'
      ? this._poll.start()
      : this._poll.stop());
  }

  /**
   * Seconds between reads while active (at least 5).
   */
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * Read now; joins a read in flight.
   *
   * @returns Rejects when the read failed (the status says so too).
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
   * Approve (the service adds them to the course) or decline requests.
   *
   * @param users - Whose requests.
   * @param approve - Approve or decline.
   * @returns What was done, user by user.
   * @throws HubGroupsError when the request as a whole fails.
   */
  async decide(users: readonly string[], approve: boolean): Promise<IDecision> {
    this._busy++;
    this._epoch++;
    this._changed.emit();
    try {
      const result = await this._client.decide(this.group, users, approve);
      const done = new Set([...result.approved, ...result.declined]);
      this._requests = this._requests.filter(r => !done.has(r.user));
      return result;
    } finally {
      this._busy--;
      this._epoch++;
      this._changed.emit();
      // A read in flight was sent before the decision: its answer is dropped.
      void readAfter(this._inFlight, () => this.refresh());
      this._decided.emit();
    }
  }

  /**
   * Stop reading and release the listeners. Idempotent.
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
    const epoch = this._epoch;
    let requests: ICourseRequest[];
    try {
      requests = await this._client.requests(this.group, 'pending');
    } catch (reason) {
      if (epoch === this._epoch) {
        this._failed(HubGroupsError.from(reason));
      }
      if (this._status === 'none') {
        return; // nothing to read here: the poll stops
      }
      throw reason;
    }
    if (epoch !== this._epoch || this._busy) {
      return; // a decision answered meanwhile
    }
    this._update('ready', requests, null);
  }

  private _failed(reason: HubGroupsError): void {
    const code = reason?.code;
    if (Private.NONE.has(code)) {
      this._update('none', [], reason);
      void this._poll.stop();
    } else if (this._status === 'ready' || this._status === 'stale') {
      this._update('stale', this._requests, reason);
    } else {
      this._update('error', [], reason);
    }
  }

  private _update(
    status: CourseRequestsModel.Status,
    requests: readonly ICourseRequest[],
    error: HubGroupsError | null
  ): void {
    const key = JSON.stringify([status, requests, error?.code ?? null]);
    this._status = status;
    this._requests = requests;
    this._error = error;
    if (key !== this._lastKey) {
      this._lastKey = key;
      this._changed.emit();
    }
  }

  private _client: EnrolmentClient;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _status: CourseRequestsModel.Status = 'loading';
  private _requests: readonly ICourseRequest[] = [];
  private _error: HubGroupsError | null = null;
  private _busy = 0;
  private _epoch = 0;
  private _lastKey = '';
  private _active = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _decided = new Signal<this, void>(this);
}

/**
 * A namespace for CourseRequestsModel statics.
 */
export namespace CourseRequestsModel {
  /**
   * Options to create the model.
   */
  export interface IOptions {
    /** The enrolment service's client. */
    client: EnrolmentClient;
    /** The course. */
    group: string;
    /** Seconds between reads while shown (10 by default, at least 5). */
    interval?: number;
  }

  /**
   * See {@link CourseRequestsModel.status}.
   */
  export type Status = 'loading' | 'ready' | 'stale' | 'error' | 'none';
}

namespace Private {
  /**
   * Answers that mean "no requests to show here".
   */
  export const NONE = new Set([
    'closed',
    'absent',
    'no-access',
    'not-a-manager',
    'not-authenticated',
    'collaboration-account',
    'users-only'
  ]);
}
