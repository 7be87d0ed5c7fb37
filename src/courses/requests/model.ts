import { ISignal, Signal } from '@lumino/signaling';

import { ReadModel } from '../../common/readmodel';
import { HubGroupsError } from '../../common/request';
import { EnrolmentClient, ICourseRequest, IDecision, IUndo } from '../client';

/**
 * The pending requests to join one course, for its members panel: read
 * while the panel is shown, approved or declined from there.
 *
 * #### Notes
 * The panel exists for any group the user manages. A refusal (a group
 * that takes no requests, `closed`; a page that may not call the
 * service, `no-access`; `not-a-manager`, …) is status `refused`, a hub
 * without the service `absent`: nothing to show, and the model stops
 * reading (the panel shows no section). Other failures are `unavailable`,
 * or `stale` with the list before. A list read before a decision finished
 * is dropped (the decision's own read is newer).
 */
export class CourseRequestsModel extends ReadModel<readonly ICourseRequest[]> {
  /**
   * @param options - The client, the course and seconds between reads.
   */
  constructor(options: CourseRequestsModel.IOptions) {
    super({
      name: `enrolment/requests/${options.group}`,
      interval: options.interval ?? 10,
      minInterval: CourseRequestsModel.MIN_INTERVAL,
      // Polls while a panel shows the requests (see `active`).
      auto: false,
      wakeOnFocus: () => true
    });
    this.group = options.group;
    this._client = options.client;
  }

  /**
   * The course.
   */
  readonly group: string;

  /**
   * The pending requests, oldest first; none while refused, absent or
   * unavailable (kept while stale).
   */
  get requests(): readonly ICourseRequest[] {
    return this.value ?? [];
  }

  /**
   * Whether a decision is being made (`changed` says when it changes).
   */
  get busy(): boolean {
    return this._busy > 0;
  }

  /**
   * Emitted after each decision made here (whatever its outcome).
   */
  get decided(): ISignal<this, void> {
    return this._decided;
  }

  /**
   * Whether the list is kept fresh (while a panel shows it); never again
   * once there is nothing to show here (refused, absent).
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
   * Approve (the service adds them to the course) or decline requests.
   *
   * @param users - Whose requests.
   * @param approve - Approve or decline.
   * @param reason - A decline's reason, which its students read.
   * @returns What was done, user by user.
   * @throws HubGroupsError when the request as a whole fails.
   */
  async decide(
    users: readonly string[],
    approve: boolean,
    reason?: string
  ): Promise<IDecision> {
    return this._change(async () => {
      const result = await this._client.decide(
        this.group,
        users,
        approve,
        reason
      );
      const done = new Set([...result.approved, ...result.declined]);
      if (this.value) {
        this.set(this.value.filter(r => !done.has(r.user)));
      }
      return result;
    });
  }

  /**
   * Undo declines of the last minute: the requests are pending again
   * (the list is read again after it).
   *
   * @param users - Whose declines.
   * @returns What was undone, user by user.
   * @throws HubGroupsError when the request as a whole fails.
   */
  async undecline(users: readonly string[]): Promise<IUndo> {
    return this._change(() => this._client.undecline(this.group, users));
  }

  private async _change<T>(change: () => Promise<T>): Promise<T> {
    this._busy++;
    this._epoch++;
    this.emitChanged();
    try {
      return await change();
    } finally {
      this._busy--;
      this._epoch++;
      this.emitChanged();
      // Never joins a read in flight: it was sent before the decision.
      void this.readAgain();
      this._decided.emit();
    }
  }

  protected async read(): Promise<readonly ICourseRequest[]> {
    const epoch = this._epoch;
    let requests: readonly ICourseRequest[];
    try {
      requests = await this._client.requests(this.group, 'pending');
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      if (error.refused || error.code === 'absent') {
        // Nothing to show here, and there will not be while the page is
        // open: stop reading.
        this.active = false;
        this._stopped = true;
      }
      throw error;
    }
    // Asked before (or during) a decision: the decision's list is newer.
    const superseded = epoch !== this._epoch || this.busy;
    return superseded ? (this.value ?? requests) : requests;
  }

  private _client: EnrolmentClient;
  private _busy = 0;
  private _epoch = 0;
  private _stopped = false;
  private _decided = new Signal<this, void>(this);
}

/**
 * A namespace for CourseRequestsModel statics.
 */
export namespace CourseRequestsModel {
  /**
   * The least interval between reads, in seconds.
   *
   * #### Notes
   * The requests are read as often as the members (`schema/courses.json`,
   * `membersInterval`); a jest spec (`__tests__/courses/schema.spec.ts`)
   * holds this equal to that setting's minimum.
   */
  export const MIN_INTERVAL = 5;

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
}
