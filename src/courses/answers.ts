/**
 * What the hub-groups service's enrolment API answers, and its readers:
 * an item of the wrong shape is left out (the rest of the answer kept).
 */

/**
 * How a course takes new members: by request (an instructor decides) or
 * open (anyone logged in joins at once). Closed courses are never listed.
 */
export type Enrolment = 'request' | 'open';

/**
 * The state of a request to join.
 */
export type RequestState = 'pending' | 'declined' | 'approved';

/**
 * One's own latest request to join a course, as its author sees it.
 */
export interface IMyRequest {
  /** Where it stands. */
  readonly state: RequestState;
  /** The message sent with it, or null. */
  readonly message: string | null;
  /** When it was made (ISO 8601), or null when unknown. */
  readonly created: string | null;
  /** When it was decided (ISO 8601), or null. */
  readonly decided: string | null;
  /** Why it was declined, in the instructor's words (plain text), or null. */
  readonly reason?: string | null;
}

/**
 * A course one may ask to join (or join), with one's membership.
 */
export interface ICourse {
  /** The course's hub group. */
  readonly group: string;
  /** What people read for it: its title, else the group's name. */
  readonly title: string;
  /** How it takes new members. */
  readonly enrolment: Enrolment;
  /** Whether the hub has the user in the course now. */
  readonly member: boolean;
  /** The user's latest request (null: none, or withdrawn). */
  readonly request: IMyRequest | null;
}

/**
 * What asking to join did: a pending request (`request` courses), joined
 * at once (`approved`, open courses) or nothing (`member` already).
 */
export interface IAskAnswer {
  /** The request's state, or `member`. */
  readonly state: RequestState | 'member';
  /** The request, when one was recorded. */
  readonly request: IMyRequest | null;
  /** True when a new request was made (201), false when it existed. */
  readonly created: boolean;
}

/**
 * A request to join a course, as its instructors see it.
 */
export interface ICourseRequest {
  /** Who asks. */
  readonly user: string;
  /** Where it stands. */
  readonly state: RequestState;
  /** Their message (plain text, may hold line breaks), or null. */
  readonly message: string | null;
  /** When it was made (ISO 8601). */
  readonly created: string;
  /** When it was decided (ISO 8601), or null. */
  readonly decided: string | null;
  /** Who decided, or null. */
  readonly decidedBy: string | null;
  /** Why it was declined (plain text), or null. */
  readonly reason?: string | null;
}

/**
 * A pending request in one of the courses the user manages.
 */
export interface IPendingRequest {
  /** The course. */
  readonly group: string;
  /** Who asks. */
  readonly user: string;
  /** When (ISO 8601). */
  readonly created: string;
  /** Their message (plain text, may hold line breaks), or null. */
  readonly message?: string | null;
}

/**
 * A name whose request was not decided, and why.
 */
export interface IDecisionError {
  /** The user. */
  readonly name: string;
  /** The service's code (`no-pending-request`, `unknown-user`, …). */
  readonly error: string;
  /** The service's sentence. */
  readonly message: string;
}

/**
 * What approving or declining did, user by user.
 */
export interface IDecision {
  /** Approved (now members of the course). */
  readonly approved: string[];
  /** Declined. */
  readonly declined: string[];
  /** Not decided, with why. */
  readonly errors: IDecisionError[];
}

/**
 * What undoing declines did, user by user.
 */
export interface IUndo {
  /** Pending again. */
  readonly undone: string[];
  /** Not undone, with why (`undo-expired`, `no-declined-request`). */
  readonly errors: IDecisionError[];
}

/**
 * Whether a value was read.
 */
export function isSome<T>(value: T | null): value is T {
  return value !== null;
}

/**
 * A string, or null.
 */
function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const STATES = ['pending', 'declined', 'approved'];

/**
 * One's own request, or null.
 */
export function myRequest(value: any): IMyRequest | null {
  if (!value || !STATES.includes(value.state)) {
    return null;
  }
  return {
    state: value.state,
    message: text(value.message),
    created: text(value.created),
    decided: text(value.decided),
    reason: text(value.reason)
  };
}

/**
 * A course one may join, or null.
 */
export function course(value: any): ICourse | null {
  if (
    !value ||
    typeof value.group !== 'string' ||
    !['request', 'open'].includes(value.enrolment)
  ) {
    return null;
  }
  const title = typeof value.title === 'string' ? value.title.trim() : '';
  return {
    group: value.group,
    // one line, as long as the YAML allows (an older service sends none)
    title: title ? title.replace(/\s+/g, ' ').slice(0, 100) : value.group,
    enrolment: value.enrolment,
    member: value.member === true,
    request: myRequest(value.request)
  };
}

/**
 * A request as its instructors see it, or null.
 */
export function courseRequest(value: any): ICourseRequest | null {
  if (
    !value ||
    typeof value.user !== 'string' ||
    !STATES.includes(value.state)
  ) {
    return null;
  }
  return {
    user: value.user,
    state: value.state,
    message: text(value.message),
    created: text(value.created) ?? '',
    decided: text(value.decided),
    decidedBy: text(value.decided_by),
    reason: text(value.reason)
  };
}
