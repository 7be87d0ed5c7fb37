/**
 * A stand-in for the hub-groups service's enrolment API, as far as the
 * course models use it, following jupyterlab_hub_groups/service/api.py:
 * courses taking requests, one's requests, the instructors' decisions.
 * (Not a spec: jest runs `*.spec.ts` only.)
 */
import { EnrolmentClient } from '../../courses/client';

export const API = 'http://localhost/services/hub-groups/api/';
export const COURSE = 'Class1234_Semester02';
export const OPEN = 'Open101';

/** A stored request, as the service keeps it. */
export interface IRow {
  group: string;
  user: string;
  state: 'pending' | 'declined' | 'approved' | 'withdrawn';
  message: string | null;
  created: string;
  decided: string | null;
  decidedBy: string | null;
  /** A decline's reason. */
  reason?: string | null;
}

/** A response: JSON, or a page that is not (a proxy's error page). */
export function answer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): Response {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      get: (name: string) =>
        Object.entries(headers).find(
          ([k]) => k.toLowerCase() === name.toLowerCase()
        )?.[1] ?? null
    },
    json: () =>
      typeof body === 'string'
        ? Promise.reject(new SyntaxError('Unexpected token <'))
        : Promise.resolve(body)
  } as unknown as Response;
}

/**
 * The service: who the caller is (`user`), the courses and their members,
 * the requests, and who manages what.
 */
export class FakeService {
  user = 'mmuster2';
  courses: Record<string, 'request' | 'open'> = {
    [COURSE]: 'request',
    [OPEN]: 'open'
  };
  members: Record<string, string[]> = { [COURSE]: ['alice'], [OPEN]: [] };
  /** The YAML's titles, by course (none: the service lists the group's name). */
  titles: Record<string, string> = {};
  manages: string[] = [];
  rows: IRow[] = [];
  /** Every call: `METHOD path` and the body. */
  calls: Array<{ call: string; body: any; init: RequestInit; url: string }> =
    [];
  /** Answer the next calls with these instead (a status and a body, or a network error). */
  next: Array<Response | 'offline'> = [];
  /** Holds for the next calls: each waits for its own before answering. */
  holds: Array<Promise<void>> = [];
  private _clock = Date.parse('2026-12-01T10:00:00Z');

  /** A client of this service. */
  client(): EnrolmentClient {
    return new EnrolmentClient({
      baseUrl: API,
      token: 'page-token',
      fetch: (url, init) => this.fetch(url, init)
    });
  }

  /** The requests pending for a course. */
  pendingOf(group: string): IRow[] {
    return this.rows.filter(r => r.group === group && r.state === 'pending');
  }

  /** Add a pending request (as another user's browser would). */
  ask(user: string, group = COURSE, message: string | null = null): IRow {
    const row: IRow = {
      group,
      user,
      state: 'pending',
      message,
      created: this._now(),
      decided: null,
      decidedBy: null
    };
    this.rows.push(row);
    return row;
  }

  async fetch(url: string, init: RequestInit): Promise<Response> {
    const method = init.method ?? 'GET';
    // Relative (the page's own origin) or absolute.
    const marker = 'services/hub-groups/api/';
    const path = url.slice(url.indexOf(marker) + marker.length);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    this.calls.push({ call: `${method} ${path}`, body, init, url });
    const forced = this.next.shift();
    const result = forced ?? this._answer(method, path, body);
    const hold = this.holds.shift();
    if (hold) {
      await hold;
    }
    if (result === 'offline') {
      throw new TypeError('Failed to fetch');
    }
    return result;
  }

  private _now(): string {
    this._clock += 1000;
    return new Date(this._clock).toISOString().replace('Z', '+00:00');
  }

  private _latest(group: string, user: string): IRow | undefined {
    return this.rows.filter(r => r.group === group && r.user === user).pop();
  }

  private _mine(r: IRow): any {
    return {
      state: r.state,
      message: r.message,
      created: r.created,
      decided: r.decided,
      reason: r.reason ?? null
    };
  }

  private _answer(method: string, path: string, body: any): Response {
    const [route, query] = path.split('?');
    const parts = route.split('/').map(decodeURIComponent);
    if (method === 'GET' && route === 'courses') {
      return answer(200, {
        courses: Object.keys(this.courses)
          .sort()
          .map(group => {
            const latest = this._latest(group, this.user);
            return {
              group,
              title: this.titles[group] ?? group,
              enrolment: this.courses[group],
              member: this.members[group].includes(this.user),
              request:
                latest && latest.state !== 'withdrawn'
                  ? this._mine(latest)
                  : null
            };
          })
      });
    }
    if (method === 'GET' && route === 'pending') {
      return answer(200, {
        pending: this.rows
          .filter(r => r.state === 'pending' && this.manages.includes(r.group))
          .map(r => ({
            group: r.group,
            user: r.user,
            created: r.created,
            message: r.message
          }))
      });
    }
    if (parts[0] !== 'courses' || !this.courses[parts[1]]) {
      return answer(403, {
        error: 'closed',
        message: 'This course takes no requests to join.'
      });
    }
    const group = parts[1];
    const rest = parts.slice(2).join('/');
    if (rest === 'requests' && method === 'POST') {
      if (this.members[group].includes(this.user)) {
        return answer(200, { state: 'member' });
      }
      if (this.courses[group] === 'open') {
        this.members[group].push(this.user);
        const row = this.ask(this.user, group, body?.message ?? null);
        row.state = 'approved';
        row.decided = row.created;
        return answer(200, this._mine(row));
      }
      const latest = this._latest(group, this.user);
      if (latest?.state === 'pending') {
        return answer(200, this._mine(latest));
      }
      return answer(
        201,
        this._mine(this.ask(this.user, group, body?.message ?? null))
      );
    }
    if (rest === 'requests/mine' && method === 'DELETE') {
      const latest = this._latest(group, this.user);
      if (latest?.state !== 'pending') {
        return answer(404, {
          error: 'no-pending-request',
          message: 'You have no pending request here.'
        });
      }
      latest.state = 'withdrawn';
      return answer(200, this._mine(latest));
    }
    if (!this.manages.includes(group)) {
      return answer(403, {
        error: 'not-a-manager',
        message: `${this.user} may not decide who joins ${group} (with this token).`
      });
    }
    if (rest === 'requests' && method === 'GET') {
      const state = new URLSearchParams(query).get('state') ?? 'pending';
      return answer(200, {
        requests: this.rows
          .filter(r => r.group === group && r.state === state)
          .map(r => ({
            user: r.user,
            state: r.state,
            message: r.message,
            created: r.created,
            decided: r.decided,
            decided_by: r.decidedBy
          }))
      });
    }
    if (rest === 'requests/approve' || rest === 'requests/decline') {
      const approve = rest.endsWith('approve');
      const done: string[] = [];
      const errors: any[] = [];
      for (const user of body.users as string[]) {
        const row = this.pendingOf(group).find(r => r.user === user);
        if (!row) {
          errors.push({
            user,
            error: 'no-pending-request',
            message: `${user} has no pending request.`
          });
          continue;
        }
        row.state = approve ? 'approved' : 'declined';
        row.decided = this._now();
        row.decidedBy = this.user;
        row.reason = approve ? null : (body.reason ?? null);
        if (approve) {
          this.members[group].push(user);
        }
        done.push(user);
      }
      return answer(200, {
        approved: approve ? done : [],
        declined: approve ? [] : done,
        errors
      });
    }
    if (rest === 'requests/undecline') {
      // (no window here: the service's is tested in pytest)
      const undone: string[] = [];
      const errors: any[] = [];
      for (const user of body.users as string[]) {
        const row = this._latest(group, user);
        if (row?.state !== 'declined') {
          errors.push({
            user,
            error: 'no-declined-request',
            message: `${user} has no decline to undo.`
          });
          continue;
        }
        Object.assign(row, { state: 'pending', decided: null, reason: null });
        row.decidedBy = null;
        undone.push(user);
      }
      return answer(200, { undone, errors });
    }
    return answer(404, { error: 'not-found', message: 'No such endpoint.' });
  }
}
