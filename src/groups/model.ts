import { ServerConnection } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';

import { ReadModel } from '../common/readmodel';
import { HubGroupsError } from '../common/request';
import { IHubGroups } from '../tokens';
import {
  askHub,
  askServer,
  IAnswer,
  IHubInfo as IHub,
  sameList
} from './answer';

/**
 * Keeps the browser user's hub groups, refreshed on focus and on an interval
 * while the page is visible.
 *
 * #### Notes
 * A {@link ReadModel} (its `PagePoll`) schedules the requests: none while
 * the page is hidden, the interval counted from the last answer, a backoff
 * after failures, at most one request in flight. Focus and the page shown
 * again ask for an answer at most a second old (`?max_age=1`), the user's
 * refresh for the hub's answer now (`?refresh=1`); interval ticks take the
 * server's short cache. Sources, in order: our server extension
 * (`hub-groups/api/me`), then, if that endpoint does not exist on this
 * server, the hub's own `api/user` with the page's token (see
 * `answer.ts`). The first request to our extension asks with `startup=1`;
 * what it carries for the other plugins resolves {@link startup}.
 *
 * The value is the last answer. A failure keeps it (`stale`) for the grace
 * period since the last answer, then drops it (`unavailable`); a refusal
 * drops it at once (`refused`). Outside a hub (no hub in the page, or the
 * server says so) the status is `absent`.
 */
export class HubGroupsModel extends ReadModel<IAnswer> implements IHubGroups {
  /**
   * Create a model. Call {@link start} to begin fetching.
   *
   * @param options - Where to ask, and how often.
   */
  constructor(options: HubGroupsModel.IOptions) {
    super({
      name: 'me',
      interval: options.refreshInterval ?? 60,
      minInterval: 10,
      auto: false,
      // Focus and the page shown again ask at once, for an answer at most
      // a second old (events within a second make one request).
      wakeOnFocus: () => true
    });
    this._serverSettings = options.serverSettings;
    this._hub = options.hub;
    this._gracePeriod = options.gracePeriod ?? 300;
    if (!this._hub) {
      this._ready.resolve();
      this._startup.resolve(null);
    }
  }

  /** @inheritdoc */
  get status(): ReadModel.Status {
    // The server's `no-hub` answer is an answer (it names the user).
    return !this._hub || this.value?.noHub ? 'absent' : super.status;
  }

  /** @inheritdoc */
  get user(): IHubGroups.IUser | null {
    return this.value?.user ?? null;
  }

  /** @inheritdoc */
  get groups(): ReadonlySet<string> {
    const value = this.value;
    if (value !== this._groupsOf) {
      this._groupsOf = value;
      this._groups = new Set(value && !value.noHub ? value.groups : []);
    }
    return this._groups;
  }

  /** @inheritdoc */
  get spawnProblems(): readonly string[] {
    return this._spawnProblems;
  }

  /** @inheritdoc */
  get hubGroupsService(): boolean {
    return this.value?.hubGroupsService ?? false;
  }

  /** @inheritdoc */
  get joinedSinceStart(): readonly string[] {
    return this.value?.joinedSinceStart ?? Private.NONE;
  }

  /**
   * When the hub last answered (the answer's `fetched_at`), or null if it
   * never did; kept after failures and refusals.
   */
  get lastUpdated(): Date | null {
    return this._fetchedAt;
  }

  /** @inheritdoc */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  /** @inheritdoc */
  get startup(): Promise<IHubGroups.IStartup | null> {
    return this._startup.promise;
  }

  /**
   * Where the groups come from: our server extension, the hub directly, or
   * null before the first answer and outside a hub.
   */
  get source(): 'server' | 'hub' | null {
    return this._hub && this._fetchedAt ? this._source : null;
  }

  /**
   * Seconds between refreshes while the page is visible.
   */
  get refreshInterval(): number {
    return this.interval;
  }

  /**
   * Change the refresh interval (at least 10) and grace period (seconds).
   *
   * @param options - The new values; missing ones are kept.
   *
   * #### Notes
   * A new interval counts from now, not from the last refresh. A new grace
   * period counts from the last answer.
   */
  configure(options: { refreshInterval?: number; gracePeriod?: number }): void {
    if (options.refreshInterval !== undefined) {
      this.interval = options.refreshInterval;
    }
    if (options.gracePeriod !== undefined) {
      this._gracePeriod = Math.max(0, options.gracePeriod);
    }
    if (super.status === 'stale') {
      this._armGrace();
    }
  }

  /**
   * Start fetching: once now (or as soon as the page is visible), then on
   * window focus, when the page is shown again, and on the interval while
   * it is visible. Does not wait for the answer; outside a hub, nothing.
   */
  start(): void {
    if (this._hub) {
      super.start();
    }
  }

  /** @inheritdoc */
  isMemberOfAny(groups: readonly string[]): boolean {
    const status = this.status;
    if (status !== 'ready' && status !== 'stale') {
      return false;
    }
    return groups.length === 0 || groups.some(g => this.groups.has(g));
  }

  /**
   * Ask the hub again now, bypassing the server's short cache.
   *
   * @returns Resolves when the answer or failure is in; never rejects.
   *
   * #### Notes
   * Joins a request already in flight. The next interval counts from this
   * answer. Outside a hub, nothing.
   */
  refresh(): Promise<void> {
    return this._hub ? super.refresh() : Promise.resolve();
  }

  /**
   * Stop fetching and release listeners and timers. Idempotent.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._clearGrace();
    this._ready.resolve();
    this._startup.resolve(null);
    super.dispose();
  }

  /**
   * Ask `me` (with `startup=1` the first time), or the hub's own
   * `api/user` on a server without our extension (`me` answers 404).
   */
  protected async read(reason: ReadModel.Reason): Promise<IAnswer> {
    if (this._source === 'server') {
      try {
        const startup = !this._askedStartup;
        this._askedStartup = true;
        return await askServer(this._serverSettings, reason, startup);
      } catch (error) {
        if (HubGroupsError.from(error).status !== 404) {
          throw error;
        }
      }
      // No server extension here (e.g. an older image): ask the hub directly.
      this._source = 'hub';
    }
    try {
      return await askHub(this._hub!, this._serverSettings.fetch);
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      if (error.code === 'absent') {
        // The page says there is a hub: its API missing is a hub (or a
        // proxy) in trouble, not `absent` (not under JupyterHub).
        throw new HubGroupsError(error.status, 'unavailable', error.message);
      }
      throw error;
    }
  }

  /**
   * Take an answer: what the token tells besides the value, then the value.
   */
  protected set(answer: IAnswer): void {
    this._clearGrace();
    this._answeredAt = Date.now();
    this._fetchedAt = answer.noHub ? null : answer.fetchedAt;
    this._spawnProblems = this._takeSpawnProblems(answer.spawnProblems);
    // Only the first answer carries it (a no-op once resolved).
    this._startup.resolve(answer.startup);
    super.set(answer);
    this._ready.resolve();
  }

  /**
   * What `changed` is about: what the token exposes of an answer (not
   * when it was fetched, nor what it carried at start-up).
   */
  protected equal(a: IAnswer | null, b: IAnswer | null): boolean {
    return Private.key(a) === Private.key(b);
  }

  /**
   * A read failed (the status says how): said in the console; a stale
   * answer is kept until the grace period since the last answer ends.
   */
  protected failed(error: HubGroupsError): void {
    const from = this._source === 'server' ? 'me' : "the hub's api/user";
    console.warn(`jupyterlab-hub-groups: ${from}: ${error.message}`);
    if (super.status === 'stale') {
      this._armGrace();
    } else {
      this._clearGrace();
    }
    this._startup.resolve(null);
    this._ready.resolve();
  }

  /**
   * The spawn problems to keep from an answer: the ones already kept when
   * the same; new ones are said once in the console (every refresh answers
   * the same ones: they change only with a new start of the server).
   */
  private _takeSpawnProblems(problems: readonly string[]): readonly string[] {
    if (sameList(problems, this._spawnProblems)) {
      return this._spawnProblems;
    }
    if (problems.length) {
      console.warn(
        'jupyterlab-hub-groups: the hub reported problems when this server started:\n' +
          problems.map(problem => `- ${problem}`).join('\n')
      );
    }
    return problems;
  }

  /**
   * Drop a stale answer once the grace period since the last answer ends.
   */
  private _armGrace(): void {
    this._clearGrace();
    const since = this._answeredAt ? Date.now() - this._answeredAt : Infinity;
    const remaining = this._gracePeriod * 1000 - since;
    const expire = () => {
      this._graceTimer = 0;
      this.dropStale();
    };
    if (remaining <= 0) {
      expire();
    } else {
      this._graceTimer = window.setTimeout(expire, remaining);
    }
  }

  private _clearGrace(): void {
    if (this._graceTimer) {
      window.clearTimeout(this._graceTimer);
      this._graceTimer = 0;
    }
  }

  private _serverSettings: ServerConnection.ISettings;
  private _hub: IHub | null;
  private _source: 'server' | 'hub' = 'server';
  private _groups: ReadonlySet<string> = new Set();
  private _groupsOf: IAnswer | null = null;
  private _spawnProblems: readonly string[] = [];
  private _fetchedAt: Date | null = null;
  private _answeredAt = 0;
  private _gracePeriod: number;
  private _graceTimer = 0;
  private _ready = new PromiseDelegate<void>();
  private _startup = new PromiseDelegate<IHubGroups.IStartup | null>();
  private _askedStartup = false;
}

/**
 * A namespace for HubGroupsModel statics.
 */
export namespace HubGroupsModel {
  /**
   * What the page knows about the hub (JupyterHub puts it in PageConfig).
   */
  export type IHubInfo = IHub;

  /**
   * Options to create a model.
   */
  export interface IOptions {
    /**
     * Settings of the Jupyter server serving this page.
     */
    serverSettings: ServerConnection.ISettings;
    /**
     * The hub, or null outside JupyterHub (status `absent`, no requests).
     */
    hub: IHubInfo | null;
    /**
     * Seconds between refreshes while visible (minimum 10). Default 60.
     */
    refreshInterval?: number;
    /**
     * Seconds a stale answer is kept after failures. Default 300.
     */
    gracePeriod?: number;
  }
}

namespace Private {
  /**
   * No groups.
   */
  export const NONE: readonly string[] = [];

  /**
   * What the token exposes of an answer, as one comparable string.
   */
  export function key(answer: IAnswer | null): string {
    return JSON.stringify(
      answer && [
        answer.noHub ?? false,
        answer.user,
        [...answer.groups].sort(),
        answer.spawnProblems,
        answer.hubGroupsService,
        answer.joinedSinceStart
      ]
    );
  }
}
