import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll, readAfter } from '../../common/poller';
import { HubGroupsError } from '../../common/request';
import { EnrolmentClient, IAskAnswer, ICourse, IMyRequest } from '../client';
import { joinedSince, joinState, JoinState, ListingStatus } from './state';

export { JoinState };

/**
 * A course the user is not in, as its "Join" card shows it.
 */
export interface IJoinable {
  /** The course. */
  readonly group: string;
  /** How it takes new members. */
  readonly enrolment: ICourse['enrolment'];
  /** What the card says. */
  readonly state: JoinState;
  /** The user's latest request, or null. */
  readonly request: IMyRequest | null;
}

/**
 * The courses the browser user may ask to join, from the enrolment
 * service (`GET courses`), kept fresh while the page is visible; asking,
 * joining and withdrawing.
 *
 * #### Notes
 * Each `GET courses` costs the service one hub request (membership is
 * read fresh), so the model asks gently: every `interval` seconds while the
 * page is visible (60 by default), at once when the window gets focus, and
 * never while the page is hidden. After a failure the last listing is
 * kept and said to be unavailable (or, for `no-access`, to need a server
 * restart); a refusal of the user as such (not a person, a collaboration
 * account, no valid token) empties it; a hub without the service stops
 * the polling. `joined` fires when the user became a member of a course
 * (approved, or an open course joined), so that the groups service can
 * be asked at once and the course's own cards appear.
 */
export class JoinModel implements IDisposable {
  /**
   * @param options - The client, and seconds between reads.
   */
  constructor(options: JoinModel.IOptions) {
    this._client = options.client;
    this._poll = new PagePoll({
      auto: false,
      factory: () => this.refresh(),
      interval: options.interval ?? 60,
      minInterval: JoinModel.MIN_INTERVAL,
      name: 'jupyterlab-hub-groups:enrolment/courses',
      // Focus and the page shown again read at once, unless nothing can be
      // read until a reload.
      wakeWhen: () =>
        this._started &&
        this._status !== 'absent' &&
        this._status !== 'no-access'
    });
  }

  /**
   * Where the listing stands:
   * - `loading`: no answer yet;
   * - `ready`: the service's latest answer;
   * - `unavailable`: the last read failed (service or hub down);
   * - `no-access`: the page token may not call the service;
   * - `refused`: the service refuses this user (nothing is shown);
   * - `absent`: the hub has no enrolment service (nothing is shown).
   */
  get status(): JoinModel.Status {
    return this._status;
  }

  /**
   * The courses of the last good answer (kept through failures).
   */
  get courses(): readonly ICourse[] {
    return this._courses;
  }

  /**
   * Why the last call failed, or null (views word its code).
   */
  get error(): HubGroupsError | null {
    return this._error;
  }

  /**
   * Emitted when anything above changes, or a course's busy state.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted with a course the user has just become a member of.
   */
  get joined(): ISignal<this, string> {
    return this._joined;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Seconds between reads while the page is visible (at least 30).
   */
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * The courses the user is not in, with what their cards say.
   *
   * @param memberOf - Groups the user is known to be in by other means
   *   (the groups service): left out too, whatever the listing says.
   */
  joinable(memberOf: ReadonlySet<string> = new Set()): IJoinable[] {
    if (
      this._status === 'loading' ||
      this._status === 'refused' ||
      this._status === 'absent'
    ) {
      return [];
    }
    return this._courses
      .filter(c => !c.member && !memberOf.has(c.group))
      .map(c => ({
        group: c.group,
        enrolment: c.enrolment,
        request: c.request,
        state: joinState(c, this._status)
      }));
  }

  /**
   * Whether asking to join `group` is under way.
   */
  isBusy(group: string): boolean {
    return this._busy.has(group);
  }

  /**
   * The text typed for `group` and not sent yet ('' if none).
   */
  draft(group: string): string {
    return this._drafts.get(group) ?? '';
  }

  /**
   * Keep the text typed for `group` until it is sent (or the page goes).
   */
  setDraft(group: string, text: string): void {
    if (text) {
      this._drafts.set(group, text);
    } else {
      this._drafts.delete(group);
    }
  }

  /**
   * Start reading: at once (or when the page is shown), then on the
   * interval and on window focus.
   */
  start(): void {
    if (this._started || this._isDisposed) {
      return;
    }
    this._started = true;
    void this._poll.start();
  }

  /**
   * Read the courses now; joins a read in flight.
   *
   * @returns Rejects when the read failed (the status says so too).
   */
  refresh(): Promise<void> {
    if (this._status === 'absent' || this._status === 'no-access') {
      return Promise.resolve(); // nothing to read until a reload
    }
    if (!this._inFlight) {
      this._inFlight = this._read().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
  }

  /**
   * Ask to join `group` (a `request` course) or join it (an `open` one).
   *
   * @param group - The course.
   * @param message - A message to the instructors; '' for none.
   * @returns What the service did.
   * @throws HubGroupsError; the draft is kept then.
   */
  async ask(group: string, message: string): Promise<IAskAnswer> {
    this._busy.add(group);
    this._changed.emit();
    let answer: IAskAnswer;
    try {
      answer = await this._client.ask(group, message);
    } catch (reason) {
      this._failed(reason);
      throw reason;
    } finally {
      this._busy.delete(group);
      this._changed.emit();
    }
    this._drafts.delete(group);
    this._recover();
    this._generation++;
    const member = answer.state === 'member' || answer.state === 'approved';
    this._setCourse(group, c => ({
      ...c,
      member: c.member || member,
      request: answer.request ?? c.request
    }));
    // Read again in the background: the answer is the request, not the list.
    void readAfter(this._inFlight, () => this.refresh());
    return answer;
  }

  /**
   * Withdraw one's pending request to join `group`.
   *
   * @param group - The course.
   * @throws HubGroupsError
   */
  async withdraw(group: string): Promise<void> {
    this._busy.add(group);
    this._changed.emit();
    try {
      await this._client.withdraw(group);
    } catch (reason) {
      this._failed(reason);
      if (HubGroupsError.from(reason).code !== 'no-pending-request') {
        throw reason;
      }
      // decided meanwhile: the listing says how
    } finally {
      this._busy.delete(group);
      this._changed.emit();
    }
    this._generation++;
    this._setCourse(group, c => ({ ...c, request: null }));
    void readAfter(this._inFlight, () => this.refresh());
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
    const generation = this._generation;
    let courses: ICourse[];
    try {
      courses = await this._client.courses();
    } catch (reason) {
      this._failed(reason);
      if (this._status === 'absent' || this._status === 'no-access') {
        // Nothing to ask on this hub, or a page token that may not ask
        // until the server restarts: no more requests until a reload.
        void this._poll.stop();
      }
      if (this._status === 'absent') {
        return;
      }
      throw reason;
    }
    if (generation !== this._generation) {
      return; // sent before the user asked or withdrew: the read after is newer
    }
    const before = new Map(this._courses.map(c => [c.group, c]));
    const first = this._status === 'loading' && !this._courses.length;
    this._courses = courses;
    this._status = 'ready';
    this._error = null;
    this._emit();
    if (first) {
      return; // what the user was in before is the groups service's
    }
    for (const c of courses) {
      const was = before.get(c.group);
      if (was && joinedSince(was, c)) {
        this._joined.emit(c.group);
      }
    }
  }

  /**
   * A call failed: say why on the cards.
   */
  private _failed(reason: unknown): void {
    const error = HubGroupsError.from(reason);
    if (error.code === 'absent') {
      if (this._status === 'loading') {
        this._set('absent', [], error);
      } else {
        // The service answered before: a hub restarting, its route not
        // back yet. Not a hub without it.
        this._set('unavailable', this._courses, error);
      }
    } else if (error.code === 'no-access') {
      this._set('no-access', this._courses, error);
    } else if (Private.REFUSALS.has(error.code)) {
      // Not a person who may ask (fail closed: no cards).
      this._set('refused', [], error);
    } else if (error.unavailable || error.code === 'bad-answer') {
      this._set('unavailable', this._courses, error);
    }
    // Other refusals (closed, rate-limited, bad-request) concern one call:
    // the caller shows them; the listing stands.
  }

  /**
   * A call went through: the service is back.
   */
  private _recover(): void {
    if (this._status === 'unavailable' || this._status === 'no-access') {
      this._set('ready', this._courses, null);
    }
  }

  private _setCourse(group: string, change: (c: ICourse) => ICourse): void {
    const was = this._courses.find(c => c.group === group);
    if (!was) {
      return;
    }
    const now = change(was);
    this._courses = this._courses.map(c => (c.group === group ? now : c));
    this._emit();
    if (joinedSince(was, now)) {
      this._joined.emit(group);
    }
  }

  private _set(
    status: JoinModel.Status,
    courses: readonly ICourse[],
    error: HubGroupsError | null
  ): void {
    this._status = status;
    this._courses = courses;
    this._error = error;
    this._emit();
  }

  private _emit(): void {
    const key = JSON.stringify([
      this._status,
      this._courses,
      this._error?.code ?? null
    ]);
    if (key !== this._lastKey) {
      this._lastKey = key;
      this._changed.emit();
    }
  }

  private _client: EnrolmentClient;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _status: JoinModel.Status = 'loading';
  private _courses: readonly ICourse[] = [];
  private _error: HubGroupsError | null = null;
  private _busy = new Set<string>();
  private _drafts = new Map<string, string>();
  private _lastKey = '';
  private _generation = 0;
  private _started = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _joined = new Signal<this, string>(this);
}

/**
 * A namespace for JoinModel statics.
 */
export namespace JoinModel {
  /**
   * The least interval between reads, in seconds: each read costs the
   * service a hub request.
   *
   * #### Notes
   * The schema's minimum (`schema/enrolment.json`, `interval`) says the same for the settings editor; a
   * jest spec (\`__tests__/courses/schema.spec.ts\`) holds the two equal.
   * The code does not import the schema: it lies outside tsc's \`rootDir\`
   * (\`src\`), and would put the whole schema into the page's start path
   * for one number.
   */
  export const MIN_INTERVAL = 30;

  /**
   * Options to create the model.
   */
  export interface IOptions {
    /** The enrolment service's client. */
    client: EnrolmentClient;
    /** Seconds between reads while the page is visible (60; at least 30). */
    interval?: number;
  }

  /**
   * See {@link JoinModel.status}.
   */
  export type Status = ListingStatus;
}

namespace Private {
  /**
   * Refusals of the user as such: nothing to show them.
   */
  export const REFUSALS = new Set([
    'not-authenticated',
    'collaboration-account',
    'users-only'
  ]);
}
