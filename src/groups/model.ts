import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { PagePoll } from '../common/poller';
import { stringsOf } from '../common/values';
import { ENROLMENT_SCOPE, IHubGroups, ME_ENDPOINT } from '../tokens';

/**
 * Keeps the browser user's hub groups, refreshed on focus and on an interval
 * while the page is visible.
 *
 * #### Notes
 * A {@link PagePoll} (lumino's `Poll`) schedules the requests: none while
 * the page is hidden, the interval counted from the last answer, a backoff
 * after failures. Focus and the page shown again ask for an answer at most
 * a second old (`?max_age=1`), the user's refresh for the hub's answer now
 * (`?refresh=1`); interval ticks take the server's short cache. At most one
 * request is in flight; a refresh asked for meanwhile joins it. Sources, in order: our server extension
 * (`hub-groups/api/me`), then, if that endpoint does not exist on this
 * server, the hub's own `api/user` with the page's token.
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
  get error(): string | null {
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
    Signal.clearData(this);
  }

  /**
   * One request, or the one in flight.
   *
   * @param why - What asks: an interval tick, a wake-up, or the user.
   * @returns Rejects when the request failed (the poll then backs off).
   */
  private _ask(why: Private.Why): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._fetch(why)
        .then(
          answer => this._onAnswer(answer),
          reason => {
            this._onFailure(reason);
            throw reason;
          }
        )
        .finally(() => {
          this._inFlight = null;
          this._ready.resolve();
        });
    }
    return this._inFlight;
  }

  private async _fetch(why: Private.Why): Promise<Private.IAnswer> {
    if (this._source === 'server') {
      const url =
        URLExt.join(this._serverSettings.baseUrl, ME_ENDPOINT) +
        Private.query(why);
      let response: Response;
      try {
        response = await ServerConnection.makeRequest(
          url,
          { cache: 'no-store' },
          this._serverSettings
        );
      } catch {
        throw new Private.Failure(
          'transient',
          'The server could not be reached.'
        );
      }
      if (response.status !== 404) {
        return Private.readAnswer(response, 'server');
      }
      // No server extension here (e.g. an older image): ask the hub directly.
      this._source = 'hub';
    }
    const hub = this._hub!;
    const url = hub.host + URLExt.join(hub.prefix, 'api/user');
    let response: Response;
    try {
      // Called without `this._serverSettings` as its `this`: the browser's
      // fetch must be called on its global (or none), otherwise it throws
      // "Illegal invocation" (as ServerConnection.makeRequest does it).
      response = await this._serverSettings.fetch.call(null, url, {
        cache: 'no-store',
        credentials: 'omit',
        headers: { Authorization: `token ${hub.token}` }
      });
    } catch {
      throw new Private.Failure(
        'transient',
        'JupyterHub could not be reached.'
      );
    }
    const answer = await Private.readAnswer(response, 'hub');
    return {
      ...answer,
      user: { ...answer.user, serverOwner: hub.serverUser || null }
    };
  }

  private _onAnswer(answer: Private.IAnswer): void {
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
      Private.sameList(answer.joinedSinceStart, this._joinedSinceStart)
        ? this._joinedSinceStart
        : answer.joinedSinceStart
    );
  }

  private _onFailure(reason: unknown): void {
    const failure =
      reason instanceof Private.Failure
        ? reason
        : new Private.Failure('transient', String(reason));
    console.warn(`jupyterlab-hub-groups: ${failure.message}`);
    if (failure.kind === 'refused') {
      // The groups go at once; when they were last confirmed stays known.
      this._clearGrace();
      this._update('error', null, new Set(), failure.message);
      return;
    }
    if (this._status === 'ready' || this._status === 'stale') {
      this._update('stale', this._user, this._groups, failure.message);
      this._armGrace();
    } else {
      this._update('error', null, new Set(), failure.message);
    }
  }

  /**
   * The spawn problems to keep from an answer: the ones already kept when
   * the same; new ones are said once in the console (every refresh answers
   * the same ones: they change only with a new start of the server).
   */
  private _takeSpawnProblems(problems: readonly string[]): readonly string[] {
    if (Private.sameList(problems, this._spawnProblems)) {
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
    error: string | null,
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
  private _hub: HubGroupsModel.IHubInfo | null;
  private _source: 'server' | 'hub' = 'server';
  private _status: IHubGroups.Status = 'loading';
  private _user: IHubGroups.IUser | null = null;
  private _groups: ReadonlySet<string> = new Set();
  private _error: string | null = null;
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
  private _changed = new Signal<this, void>(this);
}

/**
 * A namespace for HubGroupsModel statics.
 */
export namespace HubGroupsModel {
  /**
   * What the page knows about the hub (JupyterHub puts it in PageConfig).
   */
  export interface IHubInfo {
    /**
     * The hub's URL prefix, e.g. `/hub/`.
     */
    prefix: string;
    /**
     * The hub's origin when it differs from the page's, else ''.
     */
    host: string;
    /**
     * The browser user's hub token. Sent in a header only, never in a URL.
     */
    token: string;
    /**
     * The owner of the server serving this page.
     */
    serverUser: string;
  }

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
   * A refresh that gave no usable answer.
   */
  export class Failure extends Error {
    constructor(
      readonly kind: 'transient' | 'refused',
      message: string
    ) {
      super(message);
    }
  }

  /**
   * A usable answer.
   */
  export interface IAnswer {
    user: IHubGroups.IUser;
    groups: string[];
    fetchedAt: Date;
    spawnProblems: readonly string[];
    hubGroupsService: boolean;
    joinedSinceStart: readonly string[];
    noHub?: boolean;
  }

  /**
   * What asks for a request: an interval tick, a wake-up (focus, page shown
   * again), or the user ("Refresh Hub Groups").
   */
  export type Why = 'tick' | 'wake' | 'explicit';

  /**
   * Seconds a wake-up's answer may be old; wake-ups within this time of
   * the last one make no new request.
   */
  export const WAKE_WINDOW = 1;

  /**
   * The query of a request to our endpoint. The server answers from its
   * few-seconds cache on a tick; a wake-up wants an answer at most
   * WAKE_WINDOW seconds old (tabs woken together still share one hub
   * request); the user's refresh asks the hub now.
   */
  export function query(why: Why): string {
    switch (why) {
      case 'wake':
        return `?max_age=${WAKE_WINDOW}`;
      case 'explicit':
        return '?refresh=1';
      default:
        return '';
    }
  }

  /**
   * Turn a response into an answer, or throw a Failure.
   */
  export async function readAnswer(
    response: Response,
    source: 'server' | 'hub'
  ): Promise<IAnswer> {
    const who = source === 'server' ? 'The server' : 'JupyterHub';
    let body: any = null;
    try {
      body = await response.json();
    } catch {
      // handled below: a body that is not JSON is garbage whatever the status
    }
    if (response.status === 401 || response.status === 403) {
      const detail =
        body && typeof body.message === 'string' ? ` ${body.message}` : '';
      throw new Failure('refused', `${who} refused this session.${detail}`);
    }
    if (!response.ok) {
      const detail =
        body && typeof body.message === 'string'
          ? body.message
          : `HTTP ${response.status}`;
      throw new Failure(
        'transient',
        `${who} answered with an error: ${detail}`
      );
    }
    if (body && body.source === 'no-hub') {
      return {
        user: {
          name: String(body.name ?? ''),
          displayName: String(body.display_name ?? body.name ?? ''),
          serverOwner: null
        },
        groups: [],
        fetchedAt: new Date(),
        spawnProblems: spawnProblems(body.spawn_problems),
        hubGroupsService: false,
        joinedSinceStart: [],
        noHub: true
      };
    }
    if (
      !body ||
      typeof body.name !== 'string' ||
      !body.name ||
      !Array.isArray(body.groups) ||
      !body.groups.every((g: unknown) => typeof g === 'string')
    ) {
      throw new Failure(
        'transient',
        `${who} gave an answer without user or groups.`
      );
    }
    const fetched = new Date(body.fetched_at);
    return {
      user: {
        name: body.name,
        displayName:
          typeof body.display_name === 'string' && body.display_name
            ? body.display_name
            : body.name,
        serverOwner:
          typeof body.server_owner === 'string' ? body.server_owner : null
      },
      groups: body.groups,
      fetchedAt: isNaN(fetched.getTime()) ? new Date() : fetched,
      // Only our server extension says; the hub's own user model never does.
      spawnProblems:
        source === 'server' ? spawnProblems(body.spawn_problems) : [],
      // Our server extension reads the token's scopes from the hub; the
      // hub's own answer lists them.
      hubGroupsService:
        source === 'server'
          ? body.hub_groups_service === true
          : Array.isArray(body.scopes) &&
            body.scopes.some(
              (scope: unknown) =>
                scope === ENROLMENT_SCOPE || scope === 'access:services'
            ),
      // Only our server extension knows this server's start; only groups
      // the answer holds (a confused answer names nothing else).
      joinedSinceStart:
        source === 'server'
          ? stringsOf(body.joined_since_start)
              .filter(group => body.groups.includes(group))
              .sort()
          : []
    };
  }

  /**
   * Most problems kept, and characters of one: the server already cuts
   * them so (contract.py); this keeps a confused answer from filling the
   * report.
   */
  const MAX_PROBLEMS = 20;
  const MAX_PROBLEM_LENGTH = 500;

  /**
   * The spawn problems of an answer: its non-empty strings, trimmed;
   * anything else (no field from an older server, not a list, other items)
   * ignored.
   */
  export function spawnProblems(value: unknown): readonly string[] {
    if (!Array.isArray(value)) {
      return [];
    }
    return value
      .filter((item): item is string => typeof item === 'string')
      .map(item => item.trim().slice(0, MAX_PROBLEM_LENGTH))
      .filter(item => item.length > 0)
      .slice(0, MAX_PROBLEMS);
  }

  /**
   * Whether two lists hold the same strings in the same order.
   */
  export function sameList(
    a: readonly string[],
    b: readonly string[]
  ): boolean {
    return a.length === b.length && a.every((item, i) => item === b[i]);
  }

  /**
   * What `changed` is about, as one comparable string.
   */
  export function snapshot(model: IHubGroups): string {
    return JSON.stringify([
      model.status,
      model.user,
      [...model.groups].sort(),
      model.error,
      model.spawnProblems,
      model.hubGroupsService,
      model.joinedSinceStart
    ]);
  }
}
