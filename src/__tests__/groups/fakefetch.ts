/**
 * The groups model's specs' fakes: a scripted `fetch`, the hub, an answer
 * of `me`, and how to make and start a model. (Not a spec.)
 */
import { ServerConnection } from '@jupyterlab/services';

import { HubGroupsModel } from '../../groups/model';
import { FakeRequest, response } from '../fakes';

/**
 * A scripted stand-in for `fetch`: each call takes the next answer, or waits
 * for one when `hold` is set.
 */
export class FakeFetch {
  calls: string[] = [];
  headers: Array<Record<string, string>> = [];
  answers: Array<() => Promise<any>> = [];
  hold = false;
  private _waiting: Array<(r: any) => void> = [];

  fetch = (input: any, init?: any): Promise<any> => {
    const url = typeof input === 'string' ? input : input.url;
    this.calls.push(url);
    const headers: Record<string, string> = {};
    const h = typeof input === 'string' ? init?.headers : input.headers;
    if (h && typeof h.forEach === 'function') {
      h.forEach((v: string, k: string) => (headers[k.toLowerCase()] = v));
    } else if (h) {
      for (const k of Object.keys(h)) {
        headers[k.toLowerCase()] = h[k];
      }
    }
    this.headers.push(headers);
    if (this.hold) {
      return new Promise(resolve => this._waiting.push(resolve));
    }
    const next = this.answers.shift();
    if (!next) {
      return Promise.reject(new TypeError('no scripted answer'));
    }
    return next();
  };

  /** Answer the held calls with `body` and `status`. */
  releaseAll(status: number, body: unknown): void {
    this.hold = false;
    for (const resolve of this._waiting.splice(0)) {
      resolve(response(status, body));
    }
  }

  reply(status: number, body: unknown): this {
    this.answers.push(() => Promise.resolve(response(status, body)));
    return this;
  }

  fail(): this {
    this.answers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    return this;
  }
}

export const HUB = {
  prefix: '/hub/',
  host: '',
  token: 'secret-token',
  serverUser: 'vex'
};

export function me(groups: string[], name = 'vex'): unknown {
  return {
    name,
    display_name: name,
    groups,
    server_owner: 'vex',
    source: 'hub',
    fetched_at: new Date().toISOString()
  };
}

export function makeModel(
  fake: FakeFetch,
  options: Partial<HubGroupsModel.IOptions> = {}
): HubGroupsModel {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost/user/vex/',
    token: HUB.token,
    fetch: fake.fetch as any,
    Request: FakeRequest as any
  });
  return new HubGroupsModel({
    serverSettings,
    hub: HUB,
    refreshInterval: 60,
    gracePeriod: 300,
    ...options
  });
}

/**
 * Start a model and let the poll's first tick (a timer of 0 ms) run.
 */
export async function started(m: HubGroupsModel): Promise<HubGroupsModel> {
  m.start();
  await jest.advanceTimersByTimeAsync(0);
  await m.ready;
  return m;
}

/**
 * Refresh a model and let the poll's refresh tick (a timer of 0 ms) run:
 * `refresh()` is the poll's refresh-and-tick.
 */
export async function refreshed(m: HubGroupsModel): Promise<void> {
  const done = m.refresh();
  await jest.advanceTimersByTimeAsync(0);
  await done;
}

export function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state
  });
  document.dispatchEvent(new Event('visibilitychange'));
}
