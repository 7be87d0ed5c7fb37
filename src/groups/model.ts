import { ServerConnection } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll } from '../common/poller';
import { HubGroupsError } from '../common/request';
import { IHubGroups } from '../tokens';
import {
  askHub,
  askServer,
  IAnswer,
  IHubInfo as IHub,
  sameList,
  Why
} from './answer';

/**
 * Keeps the browser user's hub groups, refreshed on focus and on an interval
 * while the page is visible.
 *
 * #### Notes
 * A {@link PagePoll} (lumino's `Poll`) schedules the requests: none while
 * the page is hidden, the interval counted from the last answer, a backoff
 * after failures. Focus and the page shown again ask for an answer at most
 * a second old (`?max_age=1`), the user's refresh for the hub's answer now
 * (`?refresh=1`); interval ticks take the server's short cache. At most
 * one request is in flight; a refresh asked for meanwhile joins it.
 * Sources, in order: our server extension (`hub-groups/api/me`), then, if
 * that endpoint does not exist on this server, the hub's own `api/user`
 * with the page's token (see `answer.ts`). The first request to our
 * extension asks with `startup=1`; what it carries for the other plugins
 * resolves {@link startup}.
 */
export class HubGroupsModel implements IHubGroups, IDisposable {
  /**
   * Create a model. Call {@link start} to begin fetching.
   *
   * @param options - Where to ask, and how often.
   */
  constructor(options: HubGroupsModel.IOptions) {
    this._serverSettings = options.serverSettings;
    this._hub = options.hub;
    this._gracePeriod = options.gracePeriod ?? 300;
    this._poll = new PagePoll({
      auto: false,
      // A `refreshed` tick is a wake-up (focus, page shown).
      factory: ({ phase }) =>
        this._ask(phase === 'refreshed' ? 'wake' : 'tick'),
      interval: options.refreshInterval ?? 60,
      minInterval: 10,
      name: 'jupyterlab-hub-groups:me',
      // Focus and the page shown again ask at once, for an answer at most
      // a second old (events within a second make one request).
      wakeWhen: () => this._started
    });
    if (!this._hub) {
      this._status = 'no-hub';
      this._ready.resolve();
      this._startup.resolve(null);
    }
  }

  /** @inheritdoc */
  get status(): IHubGroups.Status {
    return this._status;
  }

  /** @inheritdoc */
  get user(): IHubGroups.IUser | null {
    return this._user;
  }

  /** @inheritdoc */
  get groups(): ReadonlySet<string> {
    return this._groups;
  }

  /** @inheritdoc */
  get spawnProblems(): readonly string[] {
    return this._spawnProblems;
  }

  /** @inheritdoc */
  get hubGroupsService(): boolean {
    return this._hubGroupsService;
  }

  /** @inheritdoc */
  get joinedSinceStart(): readonly string[] {
    return this._joinedSinceStart;
  }

  /** @inheritdoc */
  get lastUpdated(): Date | null {
    return this._lastUpdated;
  }

  /** @inheritdoc */
  get error(): HubGroupsError | null {
    return this._error;
  }

  /** @inheritdoc */
  get changed(): ISignal<this, void> {
    return this._changed;
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
    return this._hub && this._lastUpdated ? this._source : null;
  }

  /**
   * Seconds between refreshes while the page is visible.
   */
  get refreshInterval(): number {
    return this._poll.interval;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Change the refresh interval (at least 10) and grace period (seconds).
   *
   * @param options - The new values; missing ones are kept.
   *
   * #### Notes
   * A new interval counts from now, not from the last refresh.
   */
  configure(options: { refreshInterval?: number; gracePeriod?: number }): void {
    if (options.refreshInterval !== undefined) {
      this._poll.interval = options.refreshInterval;
    }
    if (options.gracePeriod !== undefined) {
      this._gracePeriod = Math.max(0, options.gracePeriod);
    }
    if (this._status === 'stale') {
      this._armGrace();
    }
  }

  /**
   * Start fetching: once now (or as soon as the page is visible), then on
   * window focus, when the page is shown again, and on the interval while
   * it is visible. Does not wait for the answer.
   */
  start(): void {
    if (this._started || this._isDisposed || !this._hub) {
      return;
    }
    this._started = true;
    void this._poll.start();
  }

  /** @inheritdoc */
  isMemberOfAny(groups: readonly string[]): boolean {
    if (this._status !== 'ready' && this._status !== 'stale') {
      return false;
    }
    return groups.length === 0 || groups.some(g => this._groups.has(g));
  }

  /**
   * Ask the hub again now, bypassing the server's short cache.
   *
   * @returns Resolves when the answer or failure is in; never rejects.
   *
   * #### Notes
   * Joins a request already in flight. The next interval counts from this
   * answer.
   */
  refresh(): Promise<void> {
    if (this._isDisposed || !this._hub) {
      return Promise.resolve();
    }
    return this._ask('explicit').then(
      () => this._poll.postpone(),
      () => this._poll.postpone()
    );
  }

  /**
   * Stop fetching and release listeners and timers. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._clearGrace();
    this._ready.resolve();
    this._startup.resolve(null);
    Signal.clearData(this);
  }

  /**
   * One request, or the one in flight.
   *
   * @param why - What asks: an interval tick, a wake-up, or the user.
   * @returns Rejects when the request failed (the poll then backs off).
   */
  private _ask(why: Why): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._fetch(why)
        .then(
          answer => {
            this._startup.resolve(answer.startup);
            this._onAnswer(answer);
          },
          reason => {
            this._onFailure(HubGroupsError.from(reason));
            throw reason;
          }
        )
        .finally(() => {
          this._inFlight = null;
          this._ready.resolve();
          // Only the first answer carries it (a no-op once resolved).
          this._startup.resolve(null);
        });
    }
    return this._inFlight;
  }

  private async _fetch(why: Why): Promise<IAnswer> {
    if (this._source === 'server') {
      try {
        const startup = !this._askedStartup;
        this._askedStartup = true;
        return await askServer(this._serverSettings, why, startup);
      } catch (reason) {
        if (HubGroupsError.from(reason).status !== 404) {
          throw reason;
        }
      }
      // No server extension here (e.g. an older image): ask the hub directly.
      this._source = 'hub';
    }
    return askHub(this._hub!, this._serverSettings.fetch);
  }

  private _onAnswer(answer: IAnswer): void {
    this._clearGrace();
    const problems = this._takeSpawnProblems(answer.spawnProblems);
    if (answer.noHub) {
      this._update('no-hub', answer.user, new Set(), null, problems);
      this._lastUpdated = null;
      return;
    }
    this._lastUpdated = answer.fetchedAt;
    this._update(
      'ready',
      answer.user,
      new Set(answer.groups),
      null,
      problems,
      answer.hubGroupsService,
      sameList(answer.joinedSinceStart, this._joinedSinceStart)
        ? this._joinedSinceStart
        : answer.joinedSinceStart
    );
  }

  private _onFailure(error: HubGroupsError): void {
    const from = this._source === 'server' ? 'me' : "the hub's api/user";
    console.warn(`jupyterlab-hub-groups: ${from}: ${error.message}`);
    if (error.refused) {
      // The groups go at once; when they were last confirmed stays known.
      this._clearGrace();
      this._update('error', null, new Set(), error);
      return;
    }
    if (this._status === 'ready' || this._status === 'stale') {
      this._update('stale', this._user, this._groups, error);
      this._armGrace();
    } else {
      this._update('error', null, new Set(), error);
    }
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
   * Drop a stale answer once the grace period since the last success ends.
   */
  private _armGrace(): void {
    this._clearGrace();
    const since = this._lastUpdatedLocal
      ? Date.now() - this._lastUpdatedLocal
      : Infinity;
    const remaining = this._gracePeriod * 1000 - since;
    const expire = () => {
      this._graceTimer = 0;
      this._update('error', null, new Set(), this._error);
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

  private _update(
    status: IHubGroups.Status,
    user: IHubGroups.IUser | null,
    groups: ReadonlySet<string>,
    error: HubGroupsError | null,
    spawnProblems: readonly string[] = this._spawnProblems,
    hubGroupsService: boolean = this._hubGroupsService,
    joinedSinceStart: readonly string[] = this._joinedSinceStart
  ): void {
    if (status === 'ready') {
      this._lastUpdatedLocal = Date.now();
    }
    const before = Private.snapshot(this);
    this._status = status;
    this._user = user;
    this._groups = groups;
    this._error = error;
    this._spawnProblems = spawnProblems;
    // Like the groups: the last answer's while it is used, else none.
    const used = status === 'ready' || status === 'stale';
    this._hubGroupsService = used && hubGroupsService;
    this._joinedSinceStart = used ? joinedSinceStart : [];
    if (Private.snapshot(this) !== before) {
      this._changed.emit();
    }
  }

  private _serverSettings: ServerConnection.ISettings;
  private _hub: IHub | null;
  private _source: 'server' | 'hub' = 'server';
  private _status: IHubGroups.Status = 'loading';
  private _user: IHubGroups.IUser | null = null;
  private _groups: ReadonlySet<string> = new Set();
  private _error: HubGroupsError | null = null;
  private _spawnProblems: readonly string[] = [];
  private _hubGroupsService = false;
  private _joinedSinceStart: readonly string[] = [];
  private _lastUpdated: Date | null = null;
  private _lastUpdatedLocal = 0;
  private _gracePeriod: number;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _graceTimer = 0;
  private _started = false;
  private _isDisposed = false;
  private _ready = new PromiseDelegate<void>();
  private _startup = new PromiseDelegate<IHubGroups.IStartup | null>();
  private _askedStartup = false;
  private _changed = new Signal<this, void>(this);
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
     * The hub, or null outside JupyterHub (status `no-hub`, no requests).
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
   * What `changed` is about, as one comparable string.
   */
  export function snapshot(model: IHubGroups): string {
    return JSON.stringify([
      model.status,
      model.user,
      [...model.groups].sort(),
      model.error?.code ?? null,
      model.error?.status ?? null,
      model.spawnProblems,
      model.hubGroupsService,
      model.joinedSinceStart
    ]);
  }
}
