import { ServerConnection } from '@jupyterlab/services';
import { URLExt } from '@jupyterlab/coreutils';

import { EndpointPoller } from '../common/poller';
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
 * The shared servers of the user's projects, kept fresh while the page is
 * visible.
 */
export class CollaborationsModel extends EndpointPoller {
  constructor(options: CollaborationsModel.IOptions) {
    super({
      serverSettings: options.serverSettings,
      endpoint: COLLABORATIONS_ENDPOINT,
      interval: options.interval ?? 15,
      auto: options.auto
    });
  }

  /**
   * The user's projects' shared servers, by group name.
   */
  get collaborations(): readonly ICollaboration[] {
    return this._collaborations;
  }

  /**
   * Why status or stopping is not available here, or null.
   */
  get degraded(): string | null {
    return this._degraded;
  }

  /**
   * Stop a shared server (through this server's own hub token).
   *
   * @param account - The collaboration account.
   * @throws Error with the server's message when it refuses.
   */
  async stop(account: string): Promise<void> {
    const url = URLExt.join(
      this.serverSettings.baseUrl,
      COLLABORATIONS_ENDPOINT,
      encodeURIComponent(account),
      'stop'
    );
    const response = await ServerConnection.makeRequest(
      url,
      { method: 'POST' },
      this.serverSettings
    );
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try {
        message = (await response.json()).message ?? message;
      } catch {
        // keep the status
      }
      throw new Error(message);
    }
    await this.refresh().catch(() => undefined);
  }

  protected read(response: Response, body: any): void {
    if (!response.ok || !body || !Array.isArray(body.collaborations)) {
      // Fail closed: no answer, no cards.
      this._set([], this._degraded);
      throw new Error(`collaborations: HTTP ${response.status}`);
    }
    const statuses = ['running', 'starting', 'stopping', 'stopped', 'unknown'];
    const collaborations = body.collaborations
      .filter(
        (c: any) =>
          c && typeof c.group === 'string' && typeof c.account === 'string'
      )
      .map((c: any) => ({
        group: c.group,
        account: c.account,
        status: statuses.includes(c.status) ? c.status : 'unknown'
      }));
    this._set(
      collaborations,
      typeof body.degraded === 'string' ? body.degraded : null
    );
  }

  protected failed(): void {
    this._set([], this._degraded);
  }

  private _set(
    collaborations: readonly ICollaboration[],
    degraded: string | null
  ): void {
    this._collaborations = collaborations;
    this._degraded = degraded;
    this.emitIfChanged([collaborations, degraded]);
  }

  private _collaborations: readonly ICollaboration[] = [];
  private _degraded: string | null = null;
}

/**
 * A namespace for CollaborationsModel statics.
 */
export namespace CollaborationsModel {
  /**
   * Options to create the model (interval: 15 s by default).
   */
  export type IOptions = EndpointPoller.IModelOptions;
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
