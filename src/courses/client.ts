/**
 * The courses' one client, for both of their endpoints:
 * - {@link ManageClient}: our server extension's `hub-groups/api/manage`
 *   (the groups one manages, their members), asked with the page's
 *   session; the server asks the hub with the page's own token, so
 *   nothing here can do more than the user could with JupyterHub's API;
 * - {@link EnrolmentClient}: the hub-side `hub-groups` service
 *   (`{hub base}/services/hub-groups/api/`): requests to join courses and
 *   the instructors' decisions.
 *
 * Why the service for requests, not our server extension: the requests
 * are one list that every user's server sees and that outlives every
 * server, and approving needs a token that may add people to the course,
 * which no single-user server may hold. The page calls the service
 * directly with its own token, as the groups model's hub fallback calls
 * the hub.
 *
 * Both go through `requestJson`/`requestAnswer`: every failure is a
 * `HubGroupsError` with a code (views word it, see `errorMessage`).
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  HubGroupsError,
  requestAnswer,
  requestJson,
  RequestTarget
} from '../common/request';
import { stringsOf } from '../common/values';
import { ENROLMENT_API, MANAGE_ENDPOINT } from '../tokens';
import {
  course,
  courseRequest,
  IAskAnswer,
  ICourse,
  ICourseRequest,
  IDecision,
  IPendingRequest,
  isSome,
  IUndo,
  myRequest,
  RequestState
} from './answers';
import { cleanMessage } from './join/message';

export * from './answers';

/**
 * What `GET manage` says: the groups the user may manage, and what people
 * read for those that have a title.
 */
export interface IManaged {
  /** The groups, sorted. */
  readonly groups: readonly string[];
  /** Titles by group (one line, at most 100 characters); not all have one. */
  readonly titles: ReadonlyMap<string, string>;
}

/**
 * A `GET manage` answer (or the start-up answer's `manage`).
 *
 * @param body - The answer's body.
 * @throws HubGroupsError (`bad-answer`) when it has no list of groups.
 */
export function readManage(body: any): IManaged {
  if (!body || !Array.isArray(body.groups)) {
    throw HubGroupsError.badAnswer('manage: no groups');
  }
  const groups: string[] = body.groups
    .filter((g: unknown): g is string => typeof g === 'string' && g !== '')
    .sort();
  const titles = new Map<string, string>();
  const given = body.titles;
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    for (const group of groups) {
      const title = given[group];
      if (typeof title === 'string' && title.trim()) {
        titles.set(group, title.trim().replace(/\s+/g, ' ').slice(0, 100));
      }
    }
  }
  return { groups, titles };
}

/**
 * Calls the manage endpoints of our server extension.
 */
export class ManageClient {
  /**
   * @param serverSettings - Settings of the server serving this page.
   */
  constructor(serverSettings: ServerConnection.ISettings) {
    this._target = { serverSettings };
  }

  /**
   * `GET manage`: the groups the user may manage, sorted, with their
   * titles; a 404 (whatever its code) is a server without the endpoint:
   * `absent`.
   *
   * @throws HubGroupsError
   */
  async managed(): Promise<IManaged> {
    try {
      return readManage(await requestJson(this._target, MANAGE_ENDPOINT));
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      throw error.status === 404
        ? new HubGroupsError(404, 'absent', error.serverMessage)
        : error;
    }
  }

  /**
   * `GET manage/<g>`: the group's members, sorted as the server sends them.
   *
   * @param group - The group.
   * @throws HubGroupsError
   */
  async members(group: string): Promise<string[]> {
    const body = await requestJson(this._target, this._path(group));
    if (!body || !Array.isArray(body.members)) {
      throw HubGroupsError.badAnswer('manage: no members');
    }
    return stringsOf(body.members);
  }

  /**
   * `POST manage/<g>/<action>` with names (`preview`, `add`, `remove`).
   *
   * @param group - The group.
   * @param action - What to do.
   * @param names - Whom (at most as many as the server takes at once).
   * @returns The answer's body (the caller reads its fields).
   * @throws HubGroupsError
   */
  async post(
    group: string,
    action: 'preview' | 'add' | 'remove',
    names: readonly string[]
  ): Promise<any> {
    const body = await requestJson(this._target, this._path(group, action), {
      method: 'POST',
      json: { names }
    });
    return body ?? {};
  }

  /**
   * `GET manage/<g>/users?prefix=&limit=`: user names to complete from.
   *
   * @param group - The group.
   * @param prefix - What was typed so far.
   * @param limit - At most this many.
   * @throws HubGroupsError
   */
  async users(group: string, prefix: string, limit: number): Promise<string[]> {
    const body = await requestJson(this._target, this._path(group, 'users'), {
      query: { prefix, limit }
    });
    return stringsOf(body?.users);
  }

  private _path(group: string, ...rest: string[]): string {
    return URLExt.join(MANAGE_ENDPOINT, encodeURIComponent(group), ...rest);
  }

  private _target: RequestTarget.IServer;
}

/**
 * Calls the enrolment API of the hub-groups service with the page's token.
 *
 * #### Notes
 * The token goes in the `Authorization` header, never in a URL, and no
 * cookie is sent (see `requestAnswer`). Every answer is read fresh.
 */
export class EnrolmentClient {
  /**
   * @param options - Where the API is, the token, and the fetch function.
   */
  constructor(options: EnrolmentClient.IOptions) {
    this.baseUrl = options.baseUrl;
    this._target = {
      baseUrl: options.baseUrl,
      token: options.token,
      fetch: options.fetch
    };
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
   * @throws HubGroupsError
   */
  async courses(): Promise<ICourse[]> {
    const body = await this._call('courses');
    return Private.list(body, 'courses').map(course).filter(isSome);
  }

  /**
   * `POST courses/<g>/requests`: ask to join (or join an open course).
   *
   * @param group - The course.
   * @param message - A message to the instructors (cleaned here, see
   *   `cleanMessage`); empty: none.
   * @throws HubGroupsError (`rate-limited` with `retryAfter`, `closed`, …)
   */
  async ask(group: string, message: string): Promise<IAskAnswer> {
    const text = cleanMessage(message);
    const { status, body } = await requestAnswer(
      this._target,
      `courses/${encodeURIComponent(group)}/requests`,
      { method: 'POST', json: text ? { message: text } : {} }
    );
    const state = body?.state;
    if (!['pending', 'approved', 'declined', 'member'].includes(state)) {
      throw HubGroupsError.badAnswer('ask: no state', status);
    }
    return {
      state,
      request: state === 'member' ? null : myRequest(body),
      created: status === 201
    };
  }

  /**
   * `DELETE courses/<g>/requests/mine`: withdraw one's pending request.
   *
   * @param group - The course.
   * @throws HubGroupsError (`no-pending-request` when there is none)
   */
  async withdraw(group: string): Promise<void> {
    await this._call(`courses/${encodeURIComponent(group)}/requests/mine`, {
      method: 'DELETE'
    });
  }

  /**
   * `GET courses/<g>/requests?state=`: a course's requests (its managers).
   *
   * @param group - The course.
   * @param state - Which (default: pending).
   * @throws HubGroupsError (`not-a-manager`, `closed`, …)
   */
  async requests(
    group: string,
    state: RequestState | 'all' = 'pending'
  ): Promise<ICourseRequest[]> {
    const body = await this._call(
      `courses/${encodeURIComponent(group)}/requests`,
      { query: { state } }
    );
    return Private.list(body, 'requests').map(courseRequest).filter(isSome);
  }

  /**
   * `POST courses/<g>/requests/approve|decline`: decide (its managers).
   *
   * @param group - The course.
   * @param users - Whose requests.
   * @param approve - Approve (the service adds them to the course) or decline.
   * @param reason - A decline's reason, which its students read (optional).
   * @throws HubGroupsError when the request as a whole fails
   */
  async decide(
    group: string,
    users: readonly string[],
    approve: boolean,
    reason?: string
  ): Promise<IDecision> {
    const action = approve ? 'approve' : 'decline';
    const json = !approve && reason?.trim() ? { users, reason } : { users };
    const body = await this._call(
      `courses/${encodeURIComponent(group)}/requests/${action}`,
      { method: 'POST', json }
    );
    return {
      approved: stringsOf(body?.approved),
      declined: stringsOf(body?.declined),
      errors: Private.errors(body)
    };
  }

  /**
   * `POST courses/<g>/requests/undecline`: undo declines of the last
   * minute (its managers); each request is pending again.
   *
   * @param group - The course.
   * @param users - Whose declines.
   * @throws HubGroupsError when the request as a whole fails
   */
  async undecline(group: string, users: readonly string[]): Promise<IUndo> {
    const body = await this._call(
      `courses/${encodeURIComponent(group)}/requests/undecline`,
      { method: 'POST', json: { users } }
    );
    return { undone: stringsOf(body?.undone), errors: Private.errors(body) };
  }

  /**
   * `GET pending`: the pending requests of the courses one manages.
   *
   * @throws HubGroupsError
   */
  async pending(): Promise<IPendingRequest[]> {
    const body = await this._call('pending');
    return Private.list(body, 'pending')
      .filter(
        (p: any) =>
          p &&
          typeof p.group === 'string' &&
          typeof p.user === 'string' &&
          typeof p.created === 'string'
      )
      .map((p: any) => ({
        group: p.group,
        user: p.user,
        created: p.created,
        message: typeof p.message === 'string' ? p.message : null
      }));
  }

  private _call(
    path: string,
    init?: Parameters<typeof requestJson>[2]
  ): Promise<any> {
    return requestJson(this._target, path, init);
  }

  private _target: RequestTarget.IHub;
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

namespace Private {
  /**
   * The names not decided (or not undone) of an answer, with why.
   */
  export function errors(body: any): IDecision['errors'] {
    return Array.isArray(body?.errors)
      ? body.errors
          .filter((e: any) => e && typeof e.user === 'string')
          .map((e: any) => ({
            name: e.user,
            error: typeof e.error === 'string' ? e.error : 'refused',
            message: typeof e.message === 'string' ? e.message : ''
          }))
      : [];
  }

  /**
   * The list of an answer's field.
   *
   * @throws HubGroupsError (`bad-answer`) when there is none.
   */
  export function list(body: any, field: string): any[] {
    if (!body || !Array.isArray(body[field])) {
      throw HubGroupsError.badAnswer(`no ${field}`);
    }
    return body[field];
  }
}
