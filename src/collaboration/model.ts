import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ReadModel } from '../common/readmodel';
import { HubGroupsError, requestJson } from '../common/request';
import { COLLABORATIONS_ENDPOINT } from '../tokens';

/**
 * The shared server of one of the user's projects.
 */
export interface ICollaboration {
  /** The project's hub group. */
  group: string;
  /** The collaboration account whose server it is, e.g. `vox-collab`. */
  account: string;
  /** `unknown` when this server may not ask the hub (see `degraded`). */
  status: 'running' | 'starting' | 'stopping' | 'stopped' | 'unknown';
}

/**
 * What the collaborations endpoint answers.
 */
export interface ICollaborations {
  /** The user's projects' shared servers. */
  readonly collaborations: readonly ICollaboration[];
  /** Why status or stopping is not available here, or null. */
  readonly degraded: IDegraded | null;
}

/**
 * Why the states of shared servers are unknown on this server.
 */
export interface IDegraded {
  /** What views word: `server-token-scopes`, `no-hub`, or a hub failure's
   *  code (`hub-timeout`, …). */
  readonly code: string;
  /** The server's sentence, for logs. */
  readonly message: string;
}

/**
 * The shared servers of the user's projects, kept fresh while the page is
 * visible.
 *
 * #### Notes
 * Fails closed: without a current answer (loading, a failed read), no
 * shared servers.
 */
export class CollaborationsModel extends ReadModel<ICollaborations> {
  /**
   * @param options - The server, and seconds between reads (15).
   */
  constructor(options: CollaborationsModel.IOptions) {
    super({
      name: 'collaborations',
      interval: options.interval ?? 15,
      auto: options.auto
    });
    this._serverSettings = options.serverSettings;
  }

  /**
   * The user's projects' shared servers, as of the last read; none unless
   * that read succeeded.
   */
  get collaborations(): readonly ICollaboration[] {
    return this.status === 'ready' ? this.value!.collaborations : [];
  }

  /**
   * Why status or stopping is not available here, or null.
   */
  get degraded(): IDegraded | null {
    return this.value?.degraded ?? null;
  }

  /**
   * Stop a shared server (through this server's own hub token), then read
   * again.
   *
   * @param account - The collaboration account.
   * @throws HubGroupsError when the server refuses or fails.
   */
  async stop(account: string): Promise<void> {
    await requestJson(
      { serverSettings: this._serverSettings },
      URLExt.join(COLLABORATIONS_ENDPOINT, encodeURIComponent(account), 'stop'),
      { method: 'POST' }
    );
    await this.readAgain();
  }

  protected async read(): Promise<ICollaborations> {
    return readCollaborations(
      await requestJson(
        { serverSettings: this._serverSettings },
        COLLABORATIONS_ENDPOINT
      )
    );
  }

  private _serverSettings: ServerConnection.ISettings;
}

/**
 * A namespace for CollaborationsModel statics.
 */
export namespace CollaborationsModel {
  /**
   * Options to create the model (interval: 15 s by default).
   */
  export type IOptions = ReadModel.IServerOptions;
}

/**
 * The shared servers of a collaborations answer (`GET collaborations`, or
 * the start-up answer).
 *
 * @param body - The JSON body.
 * @throws HubGroupsError `bad-answer` without a list.
 */
export function readCollaborations(body: any): ICollaborations {
  if (!body || !Array.isArray(body.collaborations)) {
    throw HubGroupsError.badAnswer('collaborations: no list');
  }
  const statuses = ['running', 'starting', 'stopping', 'stopped', 'unknown'];
  return {
    collaborations: body.collaborations
      .filter(
        (c: any) =>
          c && typeof c.group === 'string' && typeof c.account === 'string'
      )
      .map((c: any) => ({
        group: c.group,
        account: c.account,
        status: statuses.includes(c.status) ? c.status : 'unknown'
      })),
    degraded: readDegraded(body.degraded)
  };
}

/**
 * The `degraded` field of a collaborations answer: null unless it has a
 * code.
 */
function readDegraded(value: any): IDegraded | null {
  return value && typeof value.code === 'string'
    ? {
        code: value.code,
        message: typeof value.message === 'string' ? value.message : ''
      }
    : null;
}

/**
 * Where the hub's pages for a shared server are.
 *
 * @param hubHost - The hub's origin, '' for the page's own.
 * @param hubPrefix - The hub's prefix, e.g. `/hub/` or `/jupyter/hub/`.
 * @param account - The collaboration account.
 */
export function collaborationUrls(
  hubHost: string,
  hubPrefix: string,
  account: string
): { open: string; start: string } {
  const name = encodeURIComponent(account);
  // The hub serves users' servers at {base_url}user/, next to {base_url}hub/.
  const base = hubPrefix.replace(/hub\/?$/, '');
  return {
    open: `${hubHost}${URLExt.join(base, 'user', name, 'lab')}`,
    start: `${hubHost}${URLExt.join(hubPrefix, 'spawn', name)}`
  };
}
