import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { ISignal } from '@lumino/signaling';

import { ReadModel } from '../common/readmodel';
import { HubGroupsError, requestJson } from '../common/request';
import { COLLABORATIONS_ENDPOINT } from '../tokens';
import { whenRunning } from './running';

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
 * What the collaboration cards and their dialog need of a list of shared
 * servers: the server extension's (`CollaborationsModel`, the YAML's
 * projects) or the hub-groups service's (`projects/model.ts`, the projects
 * made in JupyterLab). Each source has its own cards.
 */
export interface ICollaborationSource {
  /** Emitted when the list or a state changed. */
  readonly changed: ISignal<any, void>;
  /** The shared servers, as of the last read. */
  readonly collaborations: readonly ICollaboration[];
  /** Why states are unknown here, or null. */
  readonly degraded: IDegraded | null;
  /** Read now (never rejects). */
  refresh(): Promise<void>;
  /** Stop a shared server, then read again. */
  stop(account: string): Promise<void>;
  /** Start a shared server, then read again: its state as answered. */
  startServer(account: string): Promise<ICollaboration['status']>;
  /** Wait until a shared server runs (see `CollaborationsModel`). */
  whenRunning(
    account: string,
    options?: { every?: number; timeout?: number }
  ): Promise<void>;
  /** More buttons for a card's dialog (a project's members), if any. */
  actions?(c: ICollaboration): ICollaborationAction[];
}

/**
 * A button of a card's dialog beyond open, start and stop.
 */
export interface ICollaborationAction {
  /** The button's label. */
  readonly label: string;
  /** The button's tooltip. */
  readonly caption: string;
  /** What it does once the dialog is closed. */
  run(): unknown;
}

/**
 * The shared servers of the user's projects, kept fresh while the page is
 * visible.
 *
 * #### Notes
 * Fails closed: without a current answer (loading, a failed read), no
 * shared servers.
 */
export class CollaborationsModel
  extends ReadModel<ICollaborations>
  implements ICollaborationSource
{
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

  /**
   * Start a shared server (through this server's own hub token, never the
   * hub's spawn page), then read again.
   *
   * @param account - The collaboration account.
   * @returns Its state as the hub answered: `starting`, `running`, or
   *   `stopping` when it was still stopping (then it did not start).
   * @throws HubGroupsError when the server refuses or fails.
   */
  async startServer(account: string): Promise<ICollaboration['status']> {
    const body = await requestJson(
      { serverSettings: this._serverSettings },
      URLExt.join(
        COLLABORATIONS_ENDPOINT,
        encodeURIComponent(account),
        'start'
      ),
      { method: 'POST' }
    );
    await this.readAgain();
    return Private.status(body?.status);
  }

  /**
   * Wait until a shared server runs, reading its state again every
   * `every` milliseconds (the hub says when a start is over only when
   * asked).
   *
   * @param account - The collaboration account.
   * @param options - `every` (1000 ms) and `timeout` (120 s).
   * @throws HubGroupsError `not-started` when it stops or goes away
   *   meanwhile, `start-timeout` when it is not running in time, or the
   *   read's error.
   */
  async whenRunning(
    account: string,
    options: { every?: number; timeout?: number } = {}
  ): Promise<void> {
    return whenRunning(this, account, options);
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
  return {
    collaborations: body.collaborations
      .filter(
        (c: any) =>
          c && typeof c.group === 'string' && typeof c.account === 'string'
      )
      .map((c: any) => ({
        group: c.group,
        account: c.account,
        status: Private.status(c.status)
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

namespace Private {
  const STATUSES = ['running', 'starting', 'stopping', 'stopped'];

  /**
   * A state of the server's answer, `unknown` unless it is one we know.
   */
  export function status(value: unknown): ICollaboration['status'] {
    return STATUSES.includes(value as string)
      ? (value as ICollaboration['status'])
      : 'unknown';
  }
}

/**
 * Where a shared server's JupyterLab is.
 *
 * @param hubHost - The hub's origin, '' for the page's own.
 * @param hubPrefix - The hub's prefix, e.g. `/hub/` or `/jupyter/hub/`.
 * @param account - The collaboration account.
 * @returns `{hubHost}{base_url}user/<account>/lab`; never one of the hub's
 *   spawn pages (a card starts the server itself, then opens this).
 */
export function collaborationUrl(
  hubHost: string,
  hubPrefix: string,
  account: string
): string {
  // The hub serves users' servers at {base_url}user/, next to {base_url}hub/.
  const base = hubPrefix.replace(/hub\/?$/, '');
  return `${hubHost}${URLExt.join(base, 'user', encodeURIComponent(account), 'lab')}`;
}
