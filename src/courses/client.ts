/**
 * The client of the hub-side `hub-groups` service's enrolment API
 * (`{hub base}/services/hub-groups/api/`): requests to join courses, and
 * the instructors' decisions.
 *
 * Why not our server extension: the requests are one list that every
 * user's server sees and that outlives every server, and approving needs a
 * token that may add people to the course, which no single-user server may
 * hold. The page calls the service directly with its own token, as the
 * groups model's hub fallback calls the hub.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';

import { stringsOf } from '../common/values';
import { ENROLMENT_API } from '../tokens';

/**
 * At most this many characters in a message to the instructors (the
 * service's limit, counted after trimming, in characters, not UTF-16 units).
 */
export const MAX_MESSAGE = 500;

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
}

/**
 * A course one may ask to join (or join), with one's membership.
 */
export interface ICourse {
  /** The course's hub group. */
  readonly group: string;
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
 * A refusal or failure of the service, with its error code.
 *
 * #### Notes
 * Codes are the service's (`no-access`, `closed`, `rate-limited`,
 * `not-a-manager`, …) and two of the client's: `unavailable` (the service
 * could not be reached, or something else answered: a proxy's or the
 * hub's error page) and `absent` (no such service on this hub).
 */
export class EnrolmentError extends Error {
  /**
   * @param status - The HTTP status (0: no answer).
   * @param code - The error code.
   * @param message - A sentence (the service's own, or the client's).
   * @param retryAfter - Seconds to wait before asking again, or null.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null
  ) {
    super(message);
    this.name = 'EnrolmentError';
  }

  /**
   * Whether the service (or the hub behind it) is down or unreachable:
   * no answer, an error page instead of JSON, or a 5xx.
   */
  get unavailable(): boolean {
    return (
      this.code === 'unavailable' || this.status === 0 || this.status >= 500
    );
  }
}

/**
 * Calls the enrolment API with the page's token.
 *
 * #### Notes
 * The token goes in the `Authorization` header, never in a URL, and no
 * cookie is sent (`credentials: 'omit'`): the service authenticates the
 * header only, and a cookie would be XSRF-checked. Every answer is read
 * fresh (`cache: 'no-store'`).
 */
export class EnrolmentClient {
  /**
   * @param options - Where the API is, the token, and the fetch function.
   */
  constructor(options: EnrolmentClient.IOptions) {
    this.baseUrl = options.baseUrl;
    this._token = options.token;
    this._fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * The API's URL, ending with `/`.
   */
  readonly baseUrl: string;

  /**
   * The client of this page, or null outside a hub and on someone else's
   * server (a collaboration account's: what the page could do there, it
   * would do for the account that everyone there runs code as, and the
   * service refuses those pages anyway).
   *
   * @param fetchFn - The fetch function (default: the browser's).
   */
  static fromPage(
    fetchFn?: EnrolmentClient.IOptions['fetch']
  ): EnrolmentClient | null {
    const hubPrefix = PageConfig.getOption('hubPrefix');
    const user = PageConfig.getOption('hubUser');
    const owner = PageConfig.getOption('hubServerUser');
    if (!hubPrefix || (owner && user && owner !== user)) {
      return null;
    }
    if (!PageConfig.getToken()) {
      return null; // every call would be refused
    }
    return new EnrolmentClient({
      baseUrl: enrolmentApiUrl(PageConfig.getOption('hubHost'), hubPrefix),
      token: PageConfig.getToken(),
      fetch: fetchFn
    });
  }

  /**
   * `GET courses`: the courses one may ask to join or join.
   *
   * @throws EnrolmentError
   */
  async courses(): Promise<ICourse[]> {
    const body = await this._call('GET', 'courses');
    if (!Array.isArray(body.courses)) {
      throw Private.garbage();
    }
    return body.courses.map(Private.course).filter(Private.isSome);
  }

  /**
   * `POST courses/<g>/requests`: ask to join (or join an open course).
   *
   * @param group - The course.
   * @param message - A message to the instructors (cleaned here, see
   *   {@link cleanMessage}); empty: none.
   * @throws EnrolmentError (`rate-limited` with `retryAfter`, `closed`, …)
   */
  async ask(group: string, message: string): Promise<IAskAnswer> {
    const text = cleanMessage(message);
    const [status, body] = await this._callWithStatus(
      'POST',
      `courses/${encodeURIComponent(group)}/requests`,
      text ? { message: text } : {}
    );
    const state = body.state;
    if (!['pending', 'approved', 'declined', 'member'].includes(state)) {
      throw Private.garbage();
    }
    return {
      state,
      request: state === 'member' ? null : Private.myRequest(body),
      created: status === 201
    };
  }

  /**
   * `DELETE courses/<g>/requests/mine`: withdraw one's pending request.
   *
   * @param group - The course.
   * @throws EnrolmentError (`no-pending-request` when there is none)
   */
  async withdraw(group: string): Promise<void> {
    await this._call(
      'DELETE',
      `courses/${encodeURIComponent(group)}/requests/mine`
    );
  }

  /**
   * `GET courses/<g>/requests?state=`: a course's requests (its managers).
   *
   * @param group - The course.
   * @param state - Which (default: pending).
   * @throws EnrolmentError (`not-a-manager`, `closed`, …)
   */
  async requests(
    group: string,
    state: RequestState | 'all' = 'pending'
  ): Promise<ICourseRequest[]> {
    const body = await this._call(
      'GET',
      `courses/${encodeURIComponent(group)}/requests` +
        URLExt.objectToQueryString({ state })
    );
    if (!Array.isArray(body.requests)) {
      throw Private.garbage();
    }
    return body.requests.map(Private.courseRequest).filter(Private.isSome);
  }

  /**
   * `POST courses/<g>/requests/approve|decline`: decide (its managers).
   *
   * @param group - The course.
   * @param users - Whose requests.
   * @param approve - Approve (the service adds them to the course) or decline.
   * @throws EnrolmentError when the request as a whole fails
   */
  async decide(
    group: string,
    users: readonly string[],
    approve: boolean
  ): Promise<IDecision> {
    const body = await this._call(
      'POST',
      `courses/${encodeURIComponent(group)}/requests/${approve ? 'approve' : 'decline'}`,
      { users }
    );
    return {
      approved: stringsOf(body.approved),
      declined: stringsOf(body.declined),
      errors: Array.isArray(body.errors)
        ? body.errors
            .filter((e: any) => e && typeof e.user === 'string')
            .map((e: any) => ({
              name: e.user,
              error: typeof e.error === 'string' ? e.error : 'refused',
              message: typeof e.message === 'string' ? e.message : ''
            }))
        : []
    };
  }

  /**
   * `GET pending`: the pending requests of the courses one manages.
   *
   * @throws EnrolmentError
   */
  async pending(): Promise<IPendingRequest[]> {
    const body = await this._call('GET', 'pending');
    if (!Array.isArray(body.pending)) {
      throw Private.garbage();
    }
    return body.pending
      .filter(
        (p: any) =>
          p &&
          typeof p.group === 'string' &&
          typeof p.user === 'string' &&
          typeof p.created === 'string'
      )
      .map((p: any) => ({ group: p.group, user: p.user, created: p.created }));
  }

  private async _call(
    method: string,
    path: string,
    body?: unknown
  ): Promise<any> {
    return (await this._callWithStatus(method, path, body))[1];
  }

  /**
   * One request; resolves with the status and the JSON object of a 2xx
   * answer, rejects with an {@link EnrolmentError} otherwise.
   */
  private async _callWithStatus(
    method: string,
    path: string,
    body?: unknown
  ): Promise<[number, any]> {
    const headers: Record<string, string> = {
      Authorization: `token ${this._token}`
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this._fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit'
      });
    } catch (reason) {
      throw new EnrolmentError(
        0,
        'unavailable',
        `The enrolment service could not be reached (${String(reason)}).`
      );
    }
    let data: any = null;
    try {
      data = await response.json();
    } catch {
      // not JSON: a proxy's or the hub's page, not the service's answer
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw response.status === 404
        ? new EnrolmentError(
            404,
            'absent',
            'This hub has no enrolment service.'
          )
        : new EnrolmentError(
            response.status,
            'unavailable',
            `The enrolment service did not answer (HTTP ${response.status}).`
          );
    }
    if (!response.ok) {
      throw new EnrolmentError(
        response.status,
        typeof data.error === 'string' ? data.error : 'http',
        typeof data.message === 'string'
          ? data.message
          : `HTTP ${response.status}`,
        Private.retryAfter(data, response)
      );
    }
    return [response.status, data];
  }

  private _token: string;
  private _fetch: NonNullable<EnrolmentClient.IOptions['fetch']>;
}

/**
 * A namespace for EnrolmentClient statics.
 */
export namespace EnrolmentClient {
  /**
   * Options to create a client.
   */
  export interface IOptions {
    /** The API's URL, ending with `/` (see {@link enrolmentApiUrl}). */
    baseUrl: string;
    /** The page's token. */
    token: string;
    /** The fetch function (default: the browser's). */
    fetch?: (input: string, init: RequestInit) => Promise<Response>;
  }
}

/**
 * Where the enrolment API is, for a page under a hub.
 *
 * @param hubHost - The hub's origin, '' for the page's own.
 * @param hubPrefix - The hub's prefix, e.g. `/hub/` or `/jupyter/hub/`.
 * @returns `{hubHost}{base}services/hub-groups/api/`.
 */
export function enrolmentApiUrl(hubHost: string, hubPrefix: string): string {
  // Services are at {base_url}services/, next to {base_url}hub/.
  const base = hubPrefix.replace(/hub\/?$/, '');
  return `${hubHost}${URLExt.join(base, ENROLMENT_API)}`.replace(/\/?$/, '/');
}

/**
 * A message as the service takes it: Windows and old Mac line ends made
 * `\n`, tabs made spaces (the service refuses control characters but the
 * line break), other control characters, text direction overrides and
 * broken surrogates left out, spaces trimmed at both ends.
 *
 * @param text - What was typed or pasted.
 */
export function cleanMessage(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(Private.CONTROLS, '')
    .replace(Private.BIDI, '')
    .replace(Private.LONE_SURROGATES, '')
    .trim();
}

/**
 * The length of a message as the service counts it: characters (code
 * points), after {@link cleanMessage}; an emoji is one, not two.
 *
 * @param text - What was typed.
 */
export function messageLength(text: string): number {
  return Array.from(cleanMessage(text)).length;
}

namespace Private {
  /** Control characters but the line break. */
  // eslint-disable-next-line no-control-regex -- finding them is the point
  export const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
  /** Bidirectional overrides and isolates (the service refuses them). */
  export const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
  /** Halves of a surrogate pair without the other half. */
  export const LONE_SURROGATES =
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

  /**
   * An answer of the right status but the wrong shape.
   */
  export function garbage(): EnrolmentError {
    return new EnrolmentError(
      200,
      'unavailable',
      'The enrolment service gave an answer that could not be read.'
    );
  }

  export function isSome<T>(value: T | null): value is T {
    return value !== null;
  }

  function text(value: unknown): string | null {
    return typeof value === 'string' ? value : null;
  }

  const STATES = ['pending', 'declined', 'approved'];

  export function myRequest(value: any): IMyRequest | null {
    if (!value || !STATES.includes(value.state)) {
      return null;
    }
    return {
      state: value.state,
      message: text(value.message),
      created: text(value.created),
      decided: text(value.decided)
    };
  }

  export function course(value: any): ICourse | null {
    if (
      !value ||
      typeof value.group !== 'string' ||
      !['request', 'open'].includes(value.enrolment)
    ) {
      return null;
    }
    return {
      group: value.group,
      enrolment: value.enrolment,
      member: value.member === true,
      request: myRequest(value.request)
    };
  }

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
      decidedBy: text(value.decided_by)
    };
  }

  /**
   * Seconds to wait, from the body (`retry_after`) or the header.
   */
  export function retryAfter(body: any, response: Response): number | null {
    const value =
      typeof body.retry_after === 'number'
        ? body.retry_after
        : Number(response.headers?.get?.('Retry-After') ?? NaN);
    return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : null;
  }
}
