/**
 * Fakes and fixtures shared by the specs: stand-ins for `fetch`'s Request
 * and Response (enough for `ServerConnection.makeRequest`), a groups
 * service, and the launcher's URL context and SVG snippets.
 * (Not a spec: jest runs `*.spec.ts` only.)
 */
import { Signal } from '@lumino/signaling';

import { HubGroupsError } from '../common/request';
import { IUrlContext } from '../launcher/url';
import { IHubGroups } from '../tokens';

/** A response with a JSON body (a string body is "not JSON"). */
export function response(status: number, body: unknown): any {
  return {
    status,
    ok: status >= 200 && status < 300,
    json: () =>
      typeof body === 'string'
        ? Promise.reject(new SyntaxError('not JSON'))
        : Promise.resolve(body)
  };
}

/** Headers, case-insensitive. */
export class FakeHeaders {
  constructor(init: Record<string, string> = {}) {
    for (const k of Object.keys(init)) {
      this.set(k, init[k]);
    }
  }
  append(k: string, v: string): void {
    this.set(k, v);
  }
  set(k: string, v: string): void {
    this._map.set(k.toLowerCase(), v);
  }
  has(k: string): boolean {
    return this._map.has(k.toLowerCase());
  }
  forEach(f: (v: string, k: string) => void): void {
    this._map.forEach(f);
  }
  private _map = new Map<string, string>();
}

/** A request: its URL, init and headers. */
export class FakeRequest {
  constructor(
    readonly url: string,
    readonly init: any = {}
  ) {
    this.headers = new FakeHeaders(init?.headers ?? {});
  }
  headers: FakeHeaders;
}

/**
 * A groups service whose answer the test sets (`absent` outside a hub).
 */
export class FakeGroups implements IHubGroups {
  constructor(public status: IHubGroups.Status = 'loading') {}
  user: IHubGroups.IUser | null = null;
  groups: ReadonlySet<string> = new Set();
  lastUpdated: Date | null = null;
  error: HubGroupsError | null = null;
  spawnProblems: readonly string[] = [];
  hubGroupsService = false;
  joinedSinceStart: readonly string[] = [];
  changed: Signal<IHubGroups, void> = new Signal<IHubGroups, void>(this);
  ready = Promise.resolve();
  startup: Promise<IHubGroups.IStartup | null> = Promise.resolve(null);
  isMemberOfAny(groups: readonly string[]): boolean {
    if (this.status !== 'ready' && this.status !== 'stale') {
      return false;
    }
    return groups.length === 0 || groups.some(g => this.groups.has(g));
  }
  refresh(): Promise<void> {
    return Promise.resolve();
  }
  answer(status: IHubGroups.Status, groups: string[]): void {
    this.status = status;
    this.groups = new Set(groups);
    this.changed.emit();
  }
}

/** The page's values for URL templates. */
export const context: IUrlContext = {
  baseUrl: '/user/vex/',
  hubPrefix: '/hub/',
  hubHost: '',
  user: 'vex',
  serverUser: 'vox-collab'
};
/** The page's URL. */
export const origin = 'http://127.0.0.1:8000/user/vex/lab';

/** SVG snippets: the namespace, an opening tag, a path, and markup that runs script. */
export const SVG_NS = 'http://www.w3.org/2000/svg';
export const S = `<svg xmlns="${SVG_NS}" viewBox="0 0 24 24">`;
export const P = '<path d="M0 0h24v24H0z"/>';
export const XSS = '<img src="x" onerror="alert(1)"/>';
