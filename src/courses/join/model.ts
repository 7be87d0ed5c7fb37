import { ISignal, Signal } from '@lumino/signaling';

import { ReadModel } from '../../common/readmodel';
import { HubGroupsError } from '../../common/request';
import { EnrolmentClient, IAskAnswer, ICourse, IMyRequest } from '../client';
import { declinedSince, joinedSince, joinState, JoinState } from './state';

export { JoinState };

/**
 * A course the user is not in, as its "Join" card shows it.
 */
export interface IJoinable {
  /** The course. */
  readonly group: string;
  /** What people read for it (its title, else the group's name). */
  readonly title: string;
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
 * never while the page is hidden. The status is `ReadModel`'s:
 * - a failure keeps the last listing (`stale`; `unavailable` before any),
 *   and its cards say the service is unavailable;
 * - `no-access` (the page token may not call the service until the server
 *   restarts) keeps it too, `error.code` says so, the cards say "restart",
 *   and nothing is read again until a reload;
 * - a refusal of the user as such (not a person, a collaboration account,
 *   no valid token) is `refused`: no cards;
 * - a hub without the service (404 at the first read) is `absent`: no
 *   cards, and nothing read again until a reload. A 404 once the service
 *   answered is a hub restarting, its route not back yet: `stale`.
 *
 * `joined` fires when the user became a member of a course (approved, or
 * an open course joined), so that the groups service can be asked at once
 * and the course's own cards appear; never for the first answer (what
 * the user was in before is the groups service's).
 */
export class JoinModel extends ReadModel<readonly ICourse[]> {
  /**
   * @param options - The client, and seconds between reads.
   */
  constructor(options: JoinModel.IOptions) {
    super({
      name: 'enrolment/courses',
      interval: options.interval ?? 60,
      minInterval: JoinModel.MIN_INTERVAL,
      auto: false,
      // Only while active: a model with nothing to read until a reload
      // is not (see `_readError`).
      wakeOnFocus: () => !this._stopped
    });
    this._client = options.client;
  }

  /**
   * The courses of the last good answer (kept through failures; none
   * while refused or absent).
   */
  get courses(): readonly ICourse[] {
    return this.value ?? [];
  }

  /**
   * Emitted with a course the user has just become a member of.
   */
  get joined(): ISignal<this, string> {
    return this._joined;
  }

  /**
   * Emitted with a course whose instructors have just declined the user's
   * request (seen between two answers, never at the first).
   */
  get declined(): ISignal<this, string> {
    return this._declined;
  }

  /**
   * The courses the user is not in, with what their cards say.
   *
   * @param memberOf - Groups the user is known to be in by other means
   *   (the groups service): left out too, whatever the listing says.
   */
  joinable(memberOf: ReadonlySet<string> = new Set()): IJoinable[] {
    const code = this.error?.code ?? null;
    return this.courses
      .filter(c => !c.member && !memberOf.has(c.group))
      .map(c => ({
        group: c.group,
        title: c.title,
        enrolment: c.enrolment,
        request: c.request,
        state: joinState(c, this.status, code)
      }));
  }

  /**
   * What people read for a course: its title, else the group's name.
   */
  titleOf(group: string): string {
    return this.courses.find(c => c.group === group)?.title ?? group;
  }

  /**
   * Whether asking to join `group` (or withdrawing) is under way.
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
   * interval and on window focus. Nothing once nothing can be read until
   * a reload.
   */
  start(): void {
    if (!this._stopped) {
      super.start();
    }
  }

  /**
   * Read the courses now; a read in flight is joined. Nothing once
   * nothing can be read until a reload.
   *
   * @returns Resolves once the read is over; never rejects (see `status`
   *   and `error`).
   */
  refresh(): Promise<void> {
    return this._stopped ? Promise.resolve() : super.refresh();
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
    const answer = await this._change(group, () =>
      this._client.ask(group, message)
    );
    this._drafts.delete(group);
    const member = answer.state === 'member' || answer.state === 'approved';
    this._show(group, c => ({
      ...c,
      member: c.member || member,
      request: answer.request ?? c.request
    }));
    return answer;
  }

  /**
   * Withdraw one's pending request to join `group`.
   *
   * @param group - The course.
   * @throws HubGroupsError
   */
  async withdraw(group: string): Promise<void> {
    try {
      await this._change(group, () => this._client.withdraw(group));
    } catch (reason) {
      if (HubGroupsError.from(reason).code !== 'no-pending-request') {
        throw reason;
      }
      // decided meanwhile: the listing says how
    }
    this._show(group, c => ({ ...c, request: null }));
  }

  protected async read(): Promise<readonly ICourse[]> {
    const generation = this._generation;
    let courses: ICourse[];
    try {
      courses = await this._client.courses();
    } catch (reason) {
      throw this._readError(HubGroupsError.from(reason));
    }
    if (generation !== this._generation && this.value) {
      // Sent before the user asked or withdrew: the read after is newer.
      return this.value;
    }
    return courses;
  }

  /**
   * Take an answer; `joined` for the courses the user came into since
   * the last one (not at the first).
   */
  protected set(value: readonly ICourse[]): void {
    const before = new Map((this.value ?? []).map(c => [c.group, c]));
    super.set(value);
    for (const c of value) {
      const was = before.get(c.group);
      if (was && joinedSince(was, c)) {
        this._joined.emit(c.group);
      } else if (was && declinedSince(was, c)) {
        this._declined.emit(c.group);
      }
    }
  }

  /**
   * A read failed: stop where nothing can be read until a reload, and
   * give ReadModel the error that makes the status say what it means.
   */
  private _readError(error: HubGroupsError): HubGroupsError {
    const first = this.status === 'loading';
    if (error.code === 'no-access' || (error.code === 'absent' && first)) {
      // A hub without the service, or a page token that may not call it
      // until the server restarts: no more requests until a reload.
      this._stopped = true;
      this.active = false;
    }
    if (error.code === 'absent' && !first) {
      // The service answered before: a hub restarting, its route not back
      // yet. Not a hub without it.
      return new HubGroupsError(
        error.status,
        'unavailable',
        error.serverMessage
      );
    }
    return error.code === 'no-access' ? new Private.NoAccess(error) : error;
  }

  /**
   * Make a change (ask, withdraw), the course busy meanwhile.
   *
   * #### Notes
   * A failure but a refusal of this call alone (closed, rate-limited, a
   * bad request) may say something of the service (down, a token
   * without access, the user refused): the listing is read again, and
   * its status says so.
   */
  private async _change<T>(group: string, call: () => Promise<T>): Promise<T> {
    this._busy.add(group);
    this.emitChanged();
    try {
      return await call();
    } catch (reason) {
      if (!Private.PER_CALL.has(HubGroupsError.from(reason).code)) {
        void this.readAgain();
      }
      throw reason;
    } finally {
      this._busy.delete(group);
      this.emitChanged();
    }
  }

  /**
   * A change went through: show it on its course now, and read again in
   * the background (the answer is the request, not the list). A read in
   * flight was sent before it: its answer is dropped.
   */
  private _show(group: string, change: (c: ICourse) => ICourse): void {
    this._generation++;
    const courses = this.value;
    if (courses?.some(c => c.group === group)) {
      this.set(courses.map(c => (c.group === group ? change(c) : c)));
    }
    void this.readAgain();
  }

  private _client: EnrolmentClient;
  private _busy = new Set<string>();
  private _drafts = new Map<string, string>();
  private _generation = 0;
  private _stopped = false;
  private _joined = new Signal<this, string>(this);
  private _declined = new Signal<this, string>(this);
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
}

namespace Private {
  /**
   * Refusals of one call, not of the service nor of the user: the
   * listing stands.
   */
  export const PER_CALL = new Set([
    'closed',
    'rate-limited',
    'bad-request',
    'no-pending-request'
  ]);

  /**
   * `no-access` as the listing takes it: a limit of the page's token until
   * the server restarts, not a refusal of the user, so the last listing
   * is kept (`stale`) for its cards to say "restart". The HTTP status
   * (403), the code and the server's sentence are the answer's.
   */
  export class NoAccess extends HubGroupsError {
    constructor(error: HubGroupsError) {
      super(error.status, error.code, error.serverMessage, error.retryAfter);
    }

    get refused(): boolean {
      return false;
    }
  }
}
