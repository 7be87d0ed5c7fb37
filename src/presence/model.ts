import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { EndpointPoller } from '../common/poller';
import { PRESENCE_ENDPOINT } from '../tokens';

/**
 * Someone using this server.
 */
export interface IPerson {
  /** Hub user name. */
  name: string;
  /** Display name (the user name where none is known). */
  displayName: string;
  /** The document they last had open, if they said. */
  current: string | null;
  /** When the server last heard from them. */
  lastSeen: Date;
}

/**
 * What we read of jupyter-collaboration's awareness (a y-protocols
 * `Awareness`, provided as `IGlobalAwareness`).
 */
export interface IAwarenessLike {
  readonly clientID: number;
  getStates(): Map<number, { [key: string]: any }>;
  on(event: 'change', handler: () => void): void;
  off(event: 'change', handler: () => void): void;
}

/**
 * The longest document path the presence endpoint accepts.
 */
const MAX_PATH = 1024;

/**
 * Who is using this server, from our server extension's presence endpoint,
 * which answers members of the server's groups only.
 *
 * #### Notes
 * One light request per interval, none while the page is hidden: a `GET`,
 * which changes nothing on the server; or, when the document this user has
 * open changed since the server was last told, a `POST` with
 * `{"current": path}`, which answers the same list.
 */
export class PresenceModel extends EndpointPoller {
  /**
   * @param options - Where to ask, how often, and what this user has open.
   */
  constructor(options: PresenceModel.IOptions) {
    super({
      serverSettings: options.serverSettings,
      endpoint: PRESENCE_ENDPOINT,
      interval: options.interval ?? 10, // seconds
      auto: options.auto
    });
    this._currentPath = options.currentPath;
  }

  /**
   * - `unknown`: no answer yet; `allowed`: the list is current;
   *   `forbidden`: this user may not see who is here (403);
   *   `error`: the last request failed (the list is the last one known).
   */
  get state(): 'unknown' | 'allowed' | 'forbidden' | 'error' {
    return this._state;
  }

  /**
   * Everyone here, this user included, sorted by name: the server's list,
   * completed by jupyter-collaboration's awareness where there is one (it
   * knows at once who joined, and which document each has open).
   */
  get people(): readonly IPerson[] {
    if (!this._awareness) {
      return this._people;
    }
    const byName = new Map(this._people.map(p => [p.name, { ...p }]));
    for (const [clientID, state] of this._awareness.getStates()) {
      const user = state?.user;
      if (
        clientID === this._awareness.clientID ||
        typeof user?.username !== 'string'
      ) {
        continue;
      }
      const current =
        typeof state.current === 'string'
          ? state.current.replace(/^[^:]*:(RTC:)?/, '') || null
          : null;
      const known = byName.get(user.username);
      if (known) {
        known.current = current ?? known.current;
      } else {
        byName.set(user.username, {
          name: user.username,
          displayName: String(user.display_name || user.name || user.username),
          current,
          lastSeen: new Date()
        });
      }
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * jupyter-collaboration's awareness, when the server has it.
   */
  set awareness(awareness: IAwarenessLike | null) {
    this._awareness?.off('change', this._onAwareness);
    this._awareness = awareness;
    awareness?.on('change', this._onAwareness);
    this._onAwareness();
  }

  dispose(): void {
    this._awareness?.off('change', this._onAwareness);
    super.dispose();
  }

  /**
   * This user's hub name, as the server saw it.
   */
  get me(): string | null {
    return this._me;
  }

  /**
   * Whether the list is worth showing: a shared server (one with groups
   * allowed to see it), or someone else is here.
   */
  get worthShowing(): boolean {
    return (
      (this._state === 'allowed' || this._state === 'error') &&
      (this._shared || this._people.some(p => p.name !== this._me))
    );
  }

  private _onAwareness = (): void => {
    if (this._state === 'unknown' || this._state === 'forbidden') {
      // Nothing shown yet, or ever: awareness changes often while
      // JupyterLab starts, and the first answer reads it anyway.
      return;
    }
    this.emitIfChanged([this._state, this.people, this._me]);
  };

  /**
   * Ask again now; tells the server first what this user has open, when
   * that changed since it was last told.
   *
   * @returns Resolves with the answer; rejects when the request failed.
   */
  refresh(): Promise<void> {
    const current = Private.sendable(this._currentPath());
    if (current === this._told) {
      return super.refresh();
    }
    if (this._telling?.current !== current) {
      const done = this._tell(current).finally(() => {
        if (this._telling?.done === done) {
          this._telling = null;
        }
      });
      this._telling = { current, done };
    }
    return this._telling!.done;
  }

  protected read(response: Response, body: any): void {
    if (response.status === 403 || response.status === 401) {
      // Not a member (or logged out): nothing to show.
      this._set('forbidden', [], null);
      return;
    }
    if (!response.ok || !body || !Array.isArray(body.people)) {
      this.failed();
      throw new Error(`presence: HTTP ${response.status}`);
    }
    const people: IPerson[] = body.people
      .filter((p: any) => p && typeof p.name === 'string')
      .map((p: any) => ({
        name: p.name,
        displayName:
          typeof p.display_name === 'string' && p.display_name
            ? p.display_name
            : p.name,
        current: typeof p.current === 'string' ? p.current : null,
        lastSeen: new Date(p.last_seen)
      }));
    this._shared = body.shared === true;
    this._set('allowed', people, typeof body.me === 'string' ? body.me : null);
  }

  protected failed(): void {
    this._set('error', this._people, this._me);
  }

  /**
   * `POST` what this user has open; the answer is read as a `GET`'s.
   */
  private async _tell(current: string | null): Promise<void> {
    const url = URLExt.join(this.serverSettings.baseUrl, PRESENCE_ENDPOINT);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        {
          method: 'POST',
          cache: 'no-store',
          body: JSON.stringify({ current })
        },
        this.serverSettings
      );
    } catch (reason) {
      this.failed();
      throw reason; // not told: the next refresh tries again
    }
    let body: any = null;
    try {
      body = await response.json();
    } catch {
      // `read` decides what a body that is not JSON means
    }
    if (response.ok || response.status === 401 || response.status === 403) {
      // Told, or refused: not worth repeating until the document changes.
      this._told = current;
    } else if (response.status === 400) {
      // Refused as it is (an odd path): the list still comes by GET.
      this._told = current;
      return super.refresh();
    }
    this.read(response, body);
  }

  private _set(
    state: PresenceModel['state'],
    people: readonly IPerson[],
    me: string | null
  ): void {
    this._state = state;
    this._people = people;
    this._me = me;
    this.emitIfChanged([state, this.people, me]);
  }

  private _currentPath: () => string | null;
  // `undefined`: the server was never told (null means "no document").
  private _told: string | null | undefined = undefined;
  private _telling: {
    current: string | null;
    done: Promise<void>;
  } | null = null;
  private _state: PresenceModel['state'] = 'unknown';
  private _people: readonly IPerson[] = [];
  private _me: string | null = null;
  private _shared = false;
  private _awareness: IAwarenessLike | null = null;
}

/**
 * A namespace for PresenceModel statics.
 */
export namespace PresenceModel {
  /**
   * Options to create a presence model.
   */
  export interface IOptions extends EndpointPoller.IModelOptions {
    /** The document this user has open, sent to the server when it changes. */
    currentPath: () => string | null;
  }
}

namespace Private {
  /**
   * What the server will accept as the current document: a path of at most
   * MAX_PATH characters without control characters, or null.
   */
  export function sendable(path: string | null): string | null {
    if (!path || path.length > MAX_PATH || CONTROL.test(path)) {
      return null;
    }
    return path;
  }

  /**
   * Control characters, which the server refuses in a path.
   */
  // eslint-disable-next-line no-control-regex
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
}
