import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

/**
 * A value read from one of our server endpoints, kept fresh while the page
 * is visible.
 *
 * #### Notes
 * JupyterLab's `Poll` (standby `when-hidden`, backoff on errors) schedules
 * the requests; a refresh asked for while one is in flight joins it.
 * `changed` is emitted only when what was read changed.
 */
export abstract class EndpointPoller implements IDisposable {
  constructor(options: EndpointPoller.IOptions) {
    this.serverSettings = options.serverSettings;
    this._endpoint = options.endpoint;
    this._poll = new Poll({
      auto: options.auto ?? true,
      factory: () => this.refresh(),
      frequency: {
        interval: options.interval * 1000,
        backoff: true,
        max: 5 * 60 * 1000
      },
      // No request at all once the page is hidden (Poll lingers one by default).
      linger: 0,
      name: `jupyterlab-hub-groups:${options.endpoint}`,
      standby: 'when-hidden'
    });
  }

  /**
   * Emitted when the value or the state changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /**
   * Change the interval (seconds, at least 5).
   */
  set interval(seconds: number) {
    this._poll.frequency = {
      ...this._poll.frequency,
      interval: Math.max(5, seconds) * 1000
    };
  }

  /**
   * Start polling (when created with `auto: false`).
   */
  start(): Promise<void> {
    return this._poll.start();
  }

  /**
   * Ask again now; joins a request already in flight.
   *
   * @returns Resolves with the answer; rejects when the request failed.
   */
  refresh(): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._fetch().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /**
   * Query parameters of the next request.
   */
  protected query(): string {
    return '';
  }

  /**
   * Take in a response (any status); throw to count it as a failure.
   */
  protected abstract read(response: Response, body: any): void;

  /**
   * Called when the request itself failed (network).
   */
  protected abstract failed(): void;

  /**
   * Emit `changed` if `snapshot` differs from the last one.
   */
  protected emitIfChanged(snapshot: unknown): void {
    const key = JSON.stringify(snapshot);
    if (key !== this._lastKey) {
      this._lastKey = key;
      this._changed.emit();
    }
  }

  /**
   * Settings of the server serving this page.
   */
  protected readonly serverSettings: ServerConnection.ISettings;

  private async _fetch(): Promise<void> {
    const url =
      URLExt.join(this.serverSettings.baseUrl, this._endpoint) + this.query();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        { cache: 'no-store' },
        this.serverSettings
      );
    } catch (reason) {
      this.failed();
      throw reason; // the poll backs off
    }
    let body: any = null;
    try {
      body = await response.json();
    } catch {
      // `read` decides what a body that is not JSON means
    }
    this.read(response, body);
  }

  private _endpoint: string;
  private _poll: Poll;
  private _inFlight: Promise<void> | null = null;
  private _lastKey = '';
  private _changed = new Signal<this, void>(this);
}

/**
 * A namespace for EndpointPoller statics.
 */
export namespace EndpointPoller {
  /**
   * Options of a poller.
   */
  export interface IOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** The endpoint, below the server's base URL. */
    endpoint: string;
    /** Seconds between requests while the page is visible. */
    interval: number;
    /** Start polling at once (default true). */
    auto?: boolean;
  }

  /**
   * Options of the models built on a poller (the endpoint is theirs).
   */
  export interface IModelOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** Seconds between requests while the page is visible. */
    interval?: number;
    /** Start polling at once (default true). */
    auto?: boolean;
  }
}
