import { ServerConnection } from '@jupyterlab/services';

import { ReadModel } from '../common/readmodel';
import { HubGroupsError, requestJson } from '../common/request';
import { PRESENCE_ENDPOINT } from '../tokens';
import type { AwarenessPeople } from './awareness';

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
 * What the presence endpoint answers: who is here, and who asks.
 */
export interface IPresence {
  /** Everyone here, by the server's list. */
  readonly people: readonly IPerson[];
  /** The asker's hub name, as the server saw it, or null. */
  readonly me: string | null;
  /** A shared server (groups besides the owner may see who is here). */
  readonly shared: boolean;
  /** The project of a collaboration account's server, as sent: read by
   *  `project.ts` where the list is shown (not on the start path). */
  readonly project?: unknown;
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
 * `{"current": path}`, which answers the same list. A 403 (not a member)
 * is status `refused`: nothing to show.
 */
export class PresenceModel extends ReadModel<IPresence> {
  /**
   * @param options - Where to ask, how often, and what this user has open.
   */
  constructor(options: PresenceModel.IOptions) {
    super({
      name: 'presence',
      interval: options.interval ?? 10, // seconds
      auto: options.auto
    });
    this._serverSettings = options.serverSettings;
    this._currentPath = options.currentPath;
  }

  /**
   * Everyone here, this user included, sorted by name: the server's list,
   * completed by jupyter-collaboration's awareness where there is one (it
   * knows at once who joined, and which document each has open; its
   * reader, `awareness.ts`, is loaded with the first awareness, then
   * `changed` is emitted).
   */
  get people(): readonly IPerson[] {
    const listed = this.value?.people ?? [];
    return this._awareness ? this._awareness.people(listed) : listed;
  }

  /**
   * jupyter-collaboration's awareness, when the server has it.
   */
  set awareness(awareness: IAwarenessLike | null) {
    this._awareness?.dispose();
    this._awareness = null;
    this._asked = awareness;
    if (!awareness) {
      return;
    }
    // Only collaboration servers have one: what reads it comes with it.
    void import('./awareness').then(({ AwarenessPeople }) => {
      if (this.isDisposed || this._asked !== awareness) {
        return;
      }
      this._awareness = new AwarenessPeople(awareness, this, () =>
        this.emitChanged()
      );
      this._awareness.check();
    });
  }

  /**
   * This user's hub name, as the server saw it.
   */
  get me(): string | null {
    return this.value?.me ?? null;
  }

  /**
   * Whether the list is worth showing: there is one (current or stale),
   * and the server is shared or someone else is here.
   */
  get worthShowing(): boolean {
    const value = this.value;
    return (
      value !== null &&
      (value.shared || value.people.some(p => p.name !== value.me))
    );
  }

  dispose(): void {
    this._awareness?.dispose();
    super.dispose();
  }

  /**
   * Tell the server what this user has open when that changed since it
   * was last told (`POST`, which answers the list), else read the list.
   */
  protected async read(): Promise<IPresence> {
    const target = { serverSettings: this._serverSettings };
    const current = Private.sendable(this._currentPath());
    if (current !== this._told) {
      try {
        const body = await requestJson(target, PRESENCE_ENDPOINT, {
          method: 'POST',
          json: { current }
        });
        this._told = current;
        return readPresence(body);
      } catch (reason) {
        const error = HubGroupsError.from(reason);
        if (error.refused || error.status === 400) {
          // Refused (not worth repeating until the document changes), or
          // refused as it is (an odd path): the list still comes by GET.
          this._told = current;
        }
        if (error.status !== 400) {
          throw error; // not told: the next read tries again
        }
      }
    }
    return readPresence(await requestJson(target, PRESENCE_ENDPOINT));
  }

  private _serverSettings: ServerConnection.ISettings;
  private _currentPath: () => string | null;
  // `undefined`: the server was never told (null means "no document").
  private _told: string | null | undefined = undefined;
  private _asked: IAwarenessLike | null = null;
  private _awareness: AwarenessPeople | null = null;
}

/**
 * A namespace for PresenceModel statics.
 */
export namespace PresenceModel {
  /**
   * Options to create a presence model.
   */
  export interface IOptions extends ReadModel.IServerOptions {
    /** The document this user has open, sent to the server when it changes. */
    currentPath: () => string | null;
  }
}

/**
 * The list of a presence answer (`GET presence`, or the start-up answer).
 *
 * @param body - The JSON body.
 * @throws HubGroupsError `bad-answer` without a list of people.
 */
export function readPresence(body: any): IPresence {
  if (!body || !Array.isArray(body.people)) {
    throw HubGroupsError.badAnswer('presence: no list of people');
  }
  return {
    people: body.people
      .filter((p: any) => p && typeof p.name === 'string')
      .map((p: any) => ({
        name: p.name,
        displayName:
          typeof p.display_name === 'string' && p.display_name
            ? p.display_name
            : p.name,
        current: typeof p.current === 'string' ? p.current : null,
        lastSeen: new Date(p.last_seen)
      })),
    me: typeof body.me === 'string' ? body.me : null,
    shared: body.shared === true,
    project: body.project
  };
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
