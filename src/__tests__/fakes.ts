/**
 * Stand-ins for `fetch`'s Request and Response, enough for
 * `ServerConnection.makeRequest`. (Not a spec: jest runs `*.spec.ts` only.)
 */

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
