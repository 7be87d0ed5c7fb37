/**
 * A stand-in for the hub-groups service's projects, people and shares API,
 * as jupyterlab_hub_groups/service/projects_api.py answers: the caller's
 * projects, making one (with its refusals), members, start and stop,
 * completion, and the shares of the caller's own server.
 * (Not a spec: jest runs `*.spec.ts` only.)
 */
import { ProjectsClient } from '../../projects/client';

export const API = 'http://localhost/services/hub-groups/api/';

/** A response: JSON, or a page that is not. */
export function answer(status: number, body: unknown): Response {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: () => null },
    json: () =>
      typeof body === 'string'
        ? Promise.reject(new SyntaxError('Unexpected token <'))
        : Promise.resolve(body)
  } as unknown as Response;
}

/** A project as the service keeps it. */
export interface IRow {
  name: string;
  creator: string | null;
  members: string[];
  status: 'running' | 'starting' | 'stopping' | 'stopped';
  kind?: 'runtime' | 'file';
}

/**
 * The service: the caller (`user`), the hub's people, the projects and
 * the caller's shares.
 */
export class FakeProjectsService {
  user = 'vex';
  admin = false;
  people = ['alice', 'fjord', 'vax', 'vex', 'vox-collab'];
  groups: Record<string, string[]> = { course: ['alice', 'vex'] };
  projects: IRow[] = [];
  shares: Array<
    { kind: 'user'; user: string } | { kind: 'group'; group: string }
  > = [];
  max = 3;
  /** Every call: `METHOD path` and the body. */
  calls: Array<{ call: string; body: any; url: string; init: RequestInit }> =
    [];
  /** Answer the next calls with these instead. */
  next: Array<Response | 'offline'> = [];

  /** A client of this service. */
  client(): ProjectsClient {
    return new ProjectsClient({
      baseUrl: API,
      token: 'page-token',
      fetch: (url, init) => this.fetch(url, init)
    });
  }

  /** The calls, as `METHOD path`. */
  get said(): string[] {
    return this.calls.map(c => c.call);
  }

  /** The fetch the client calls. */
  async fetch(url: string, init: RequestInit): Promise<Response> {
    const method = init.method ?? 'GET';
    const path = url.slice(API.length);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    this.calls.push({ call: `${method} ${path}`, body, url, init });
    const next = this.next.shift();
    if (next === 'offline') {
      throw new TypeError('Failed to fetch');
    }
    if (next) {
      return next;
    }
    return this._route(method, path, body);
  }

  private _route(method: string, path: string, body: any): Response {
    const [route, query] = path.split('?');
    const parts = route.split('/').map(decodeURIComponent);
    if (route === 'projects' && method === 'GET') {
      return answer(200, {
        projects: this.projects
          .filter(p => p.members.includes(this.user) || p.creator === this.user)
          .map(p => this._p(p)),
        may_create: this._created() < this.max,
        created: this._created(),
        max_per_person: this.max
      });
    }
    if (route === 'projects' && method === 'POST') {
      return this._create(body);
    }
    if (parts[0] === 'projects' && parts.length >= 2) {
      const p = this.projects.find(p => p.name === parts[1]);
      if (!p || !p.members.includes(this.user)) {
        return refusal(404, 'no-such-project');
      }
      if (parts[2] === 'members') {
        if (p.creator !== this.user && !this.admin) {
          return refusal(403, 'not-the-creator');
        }
        const users: string[] = body.users;
        if (method === 'DELETE' && users.includes(p.creator ?? '')) {
          return refusal(400, 'creator-stays');
        }
        const unknown = users.filter(u => !this.people.includes(u));
        if (unknown.length) {
          return refusal(400, 'unknown-users', { users: unknown });
        }
        p.members =
          method === 'POST'
            ? [...new Set([...p.members, ...users])].sort()
            : p.members.filter(m => !users.includes(m));
        return answer(200, this._p(p));
      }
      if (parts[2] === 'start' || parts[2] === 'stop') {
        p.status = parts[2] === 'start' ? 'starting' : 'stopped';
        return answer(202, this._p(p));
      }
      if (method === 'DELETE' && parts.length === 2) {
        if (p.creator !== this.user && !this.admin) {
          return refusal(403, 'not-the-creator');
        }
        this.projects = this.projects.filter(q => q !== p);
        return answer(204, null);
      }
    }
    if (route === 'people') {
      const q = new URLSearchParams(query).get('q') ?? '';
      if (!q) {
        return refusal(400, 'bad-request');
      }
      return answer(200, {
        users: this.people
          .filter(n => n.startsWith(q) && !n.endsWith('-collab'))
          .slice(0, 20)
      });
    }
    if (route === 'shares') {
      if (method === 'POST' && body.group !== undefined) {
        if (!(this.groups[body.group] ?? []).includes(this.user)) {
          return refusal(403, 'not-your-group');
        }
        this.shares.push({ kind: 'group', group: body.group });
      } else if (method === 'POST') {
        for (const user of body.users) {
          this.shares.push({ kind: 'user', user });
        }
      } else if (method === 'DELETE') {
        this.shares = this.shares.filter(s =>
          s.kind === 'user' ? s.user !== body.user : s.group !== body.group
        );
      }
      return answer(200, {
        shares: this.shares.map(s =>
          s.kind === 'user'
            ? s
            : { ...s, users: this.groups[s.group].filter(u => u !== this.user) }
        )
      });
    }
    return answer(404, { error: 'not-found', message: path });
  }

  private _create(body: any): Response {
    const name: string = body.name;
    if (this._created() >= this.max) {
      return refusal(409, 'too-many-projects');
    }
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      return refusal(400, 'invalid-name');
    }
    if (
      this.people.includes(name) ||
      this.projects.some(p => p.name === name)
    ) {
      return refusal(409, 'name-taken');
    }
    const unknown = (body.members as string[]).filter(
      u => !this.people.includes(u)
    );
    if (unknown.length) {
      return refusal(400, 'unknown-users', { users: unknown });
    }
    const row: IRow = {
      name,
      creator: this.user,
      members: [...new Set([this.user, ...body.members])].sort(),
      status: 'stopped'
    };
    this.projects.push(row);
    return answer(201, this._p(row));
  }

  private _created(): number {
    return this.projects.filter(p => p.creator === this.user).length;
  }

  private _p(p: IRow): unknown {
    return {
      name: p.name,
      account: `${p.name}-collab`,
      kind: p.kind ?? 'runtime',
      creator: p.creator,
      members: p.members,
      may_manage: p.creator !== null && (p.creator === this.user || this.admin),
      status: p.status,
      url: `/user/${p.name}-collab/`
    };
  }
}

/** A refusal of the service. */
export function refusal(
  status: number,
  error: string,
  more: Record<string, unknown> = {}
): Response {
  return answer(status, { error, message: `refused: ${error}`, ...more });
}

/** Let promises and a few timers run. */
export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, ms));
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

/** Wait until `holds()` (real timers), or fail naming `what`. */
export async function waitFor(
  holds: () => boolean,
  what: string,
  timeout = 3000
): Promise<void> {
  const until = Date.now() + timeout;
  while (!holds()) {
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
