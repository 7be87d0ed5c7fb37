/**
 * One request helper for every call of the page: to our server extension
 * (through `ServerConnection`, the page's session and XSRF handling) and
 * to the hub side (the `hub-groups` service, the hub's own API: the page's
 * token in a header, no cookie). Every failure is a {@link HubGroupsError}
 * with a code; views word codes (see `wording.ts`), models keep them.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * A refusal or failure of a request, with its error code.
 *
 * #### Notes
 * `code` is the server's or the service's `error` field when it answered
 * one (`not-a-member`, `hub-timeout`, `rate-limited`, …), or the client's
 * own:
 * - `unavailable`: no answer, or not our JSON (a proxy's or the hub's
 *   error page), a 5xx without a code;
 * - `absent`: no such endpoint or service (a 404 without a code);
 * - `refused`: a 401 or 403 without a code (Jupyter Server's own
 *   refusal, the hub's);
 * - `bad-answer`: a JSON answer of the wrong shape (thrown by the reader
 *   of the answer);
 * - `http`: any other status without a code.
 *
 * The message (for logs) holds the code, the status and the server's
 * sentence; what a person reads comes from the code, through the
 * translator.
 */
export class HubGroupsError extends Error {
  /**
   * @param status - The HTTP status (0: no answer).
   * @param code - The error code.
   * @param serverMessage - The server's sentence, or null.
   * @param retryAfter - Seconds to wait before asking again, or null.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string | null = null,
    readonly retryAfter: number | null = null
  ) {
    super(
      `${code} (${status ? `HTTP ${status}` : 'no answer'})` +
        (serverMessage ? `: ${serverMessage}` : '')
    );
    this.name = 'HubGroupsError';
  }

  /**
   * Whether the other side is down or unreachable: no answer, an error
   * page instead of JSON, or a 5xx.
   */
  get unavailable(): boolean {
    return (
      this.code === 'unavailable' || this.status === 0 || this.status >= 500
    );
  }

  /**
   * Whether the session or the user was refused (401, 403).
   */
  get refused(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /**
   * An error for anything thrown: itself when it is one, else `unavailable`
   * (a network failure: fetch rejects with a TypeError) with its text.
   *
   * @param reason - What was thrown.
   */
  static from(reason: unknown): HubGroupsError {
    return reason instanceof HubGroupsError
      ? reason
      : new HubGroupsError(0, 'unavailable', String(reason));
  }

  /**
   * An answer of the right status but the wrong shape.
   *
   * @param what - What was wrong, for the logs.
   * @param status - The answer's status (default 200).
   */
  static badAnswer(what: string, status = 200): HubGroupsError {
    return new HubGroupsError(status, 'bad-answer', what);
  }
}

/**
 * Where a request goes: our server extension (the settings of the server
 * serving this page), or the hub side with the page's token.
 */
export type RequestTarget = RequestTarget.IServer | RequestTarget.IHub;

/**
 * A namespace for RequestTarget types.
 */
export namespace RequestTarget {
  /**
   * Our server extension, through `ServerConnection.makeRequest`.
   */
  export interface IServer {
    /** Settings of the server serving this page. */
    readonly serverSettings: ServerConnection.ISettings;
  }

  /**
   * The hub side: the token in the `Authorization` header, never in a URL,
   * no cookie (`credentials: 'omit'`: the other side authenticates the
   * header only, and a cookie would be XSRF-checked).
   */
  export interface IHub {
    /** The API's URL; the path is put after it. */
    readonly baseUrl: string;
    /** The page's token. */
    readonly token: string;
    /**
     * The fetch function (default: the browser's). Called as a plain
     * function, never as a method: the browser's throws "Illegal
     * invocation" on any other `this` than its global.
     */
    readonly fetch?: (input: string, init: RequestInit) => Promise<Response>;
  }
}

/**
 * What may go with a request.
 */
export interface IRequestInit {
  /** The method (default `GET`). */
  method?: string;
  /** A body, sent as JSON. */
  json?: unknown;
  /** Query parameters; null and undefined ones are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
}

/**
 * A 2xx answer: its status and its JSON body (null for a 204).
 */
export interface IAnswer<T> {
  /** The HTTP status. */
  readonly status: number;
  /** The body. */
  readonly body: T;
}

/**
 * One request, read fresh (`cache: 'no-store'`), answered with JSON.
 *
 * @param target - Our server extension or the hub side.
 * @param path - Below the target's base URL (parts already escaped).
 * @param init - The method, a JSON body, query parameters.
 * @returns The status and body of a 2xx JSON answer (204: null).
 * @throws {@link HubGroupsError} for anything else.
 */
export async function requestAnswer<T = any>(
  target: RequestTarget,
  path: string,
  init: IRequestInit = {}
): Promise<IAnswer<T>> {
  const query = Private.query(init.query);
  const method = init.method ?? 'GET';
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  let response: Response;
  try {
    if ('serverSettings' in target) {
      const settings = target.serverSettings;
      response = await ServerConnection.makeRequest(
        URLExt.join(settings.baseUrl, path) + query,
        { method, body, cache: 'no-store' },
        settings
      );
    } else {
      const fetchFn = target.fetch ?? Private.browserFetch;
      const headers: Record<string, string> = {
        Authorization: `token ${target.token}`
      };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      response = await fetchFn(Private.under(target.baseUrl, path) + query, {
        method,
        headers,
        body,
        cache: 'no-store',
        credentials: 'omit'
      });
    }
  } catch (reason) {
    throw new HubGroupsError(0, 'unavailable', String(reason));
  }
  return Private.read<T>(response);
}

/**
 * One request, answered with JSON: {@link requestAnswer}'s body.
 *
 * @param target - Our server extension or the hub side.
 * @param path - Below the target's base URL (parts already escaped).
 * @param init - The method, a JSON body, query parameters.
 * @returns The body of a 2xx JSON answer (204: null).
 * @throws {@link HubGroupsError} for anything else.
 */
export async function requestJson<T = any>(
  target: RequestTarget,
  path: string,
  init: IRequestInit = {}
): Promise<T> {
  return (await requestAnswer<T>(target, path, init)).body;
}

namespace Private {
  /**
   * The browser's fetch, called on its global.
   */
  export function browserFetch(
    input: string,
    init: RequestInit
  ): Promise<Response> {
    return fetch(input, init);
  }

  /**
   * `path` below `base`, with one slash between them.
   */
  export function under(base: string, path: string): string {
    return base.replace(/\/?$/, '/') + path.replace(/^\/+/, '');
  }

  /**
   * A query string (`?a=1&b=2`), or '' when there is none.
   */
  export function query(values: IRequestInit['query']): string {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(values ?? {})) {
      if (value !== null && value !== undefined) {
        kept[key] = String(value);
      }
    }
    return Object.keys(kept).length ? URLExt.objectToQueryString(kept) : '';
  }

  /**
   * The answer of a response, or the error it stands for.
   */
  export async function read<T>(response: Response): Promise<IAnswer<T>> {
    const status = response.status;
    if (status === 204) {
      return { status, body: null as T };
    }
    let data: any = undefined;
    let json = false;
    try {
      data = await response.json();
      json = true;
    } catch {
      // not JSON: a proxy's or the hub's page, not the answer of our side
    }
    if (status >= 200 && status < 300) {
      if (!json) {
        throw new HubGroupsError(status, 'unavailable', 'not JSON');
      }
      return { status, body: data as T };
    }
    const object = json && data !== null && typeof data === 'object';
    const code =
      object && typeof data.error === 'string' && data.error
        ? data.error
        : fallbackCode(status);
    const message =
      object && typeof data.message === 'string' ? data.message : null;
    throw new HubGroupsError(
      status,
      code,
      message,
      retryAfter(object ? data : null, response)
    );
  }

  /**
   * The client's code for a failed status that came without one.
   */
  function fallbackCode(status: number): string {
    if (status === 404) {
      return 'absent';
    }
    if (status === 401 || status === 403) {
      return 'refused';
    }
    return status >= 500 ? 'unavailable' : 'http';
  }

  /**
   * Seconds to wait, from the body (`retry_after`) or the header.
   */
  function retryAfter(body: any, response: Response): number | null {
    const value =
      typeof body?.retry_after === 'number'
        ? body.retry_after
        : Number(response.headers?.get?.('Retry-After') ?? NaN);
    return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : null;
  }
}
