/**
 * A stand-in for the server extension's manage endpoints, as far as the
 * course models use them: a group's members and the users the hub has.
 * (Not a spec: jest runs `*.spec.ts` only.)
 */
import { ServerConnection } from '@jupyterlab/services';

import { FakeRequest, response } from '../fakes';

export const BASE = 'http://localhost/user/prof/';
export const COURSE = 'Class1234_Semester02';

/** A request's URL without JupyterLab's cache buster (`?<time>`). */
export function url(request: FakeRequest): string {
  return request.url.replace(/[?&]\d+$/, '');
}

/**
 * The manage endpoints: members, users, preview, add, remove.
 */
export class FakeServer {
  members = ['alice', 'mmuster'];
  users = ['admin', 'alice', 'mmuster', 'mmuster2', 'prof', 'summer'];
  manages = [COURSE];
  requests: FakeRequest[] = [];
  /** Set to answer the next request with this (status, body). */
  next: Array<[number, unknown]> = [];
  /** Holds for the next requests: each waits for its own before answering. */
  holds: Array<Promise<void>> = [];

  settings(): ServerConnection.ISettings {
    return ServerConnection.makeSettings({
      baseUrl: BASE,
      fetch: (async (request: FakeRequest) => {
        this.requests.push(request);
        const forced = this.next.shift();
        // Answered as things are now, delivered after its hold, if any.
        const answer = forced
          ? forced[0] && response(forced[0], forced[1])
          : this.answer(request);
        const hold = this.holds.shift();
        if (hold) {
          await hold;
        }
        if (!answer) {
          throw new TypeError('offline');
        }
        return answer;
      }) as any,
      Request: FakeRequest as any
    });
  }

  /** The requests' paths below the manage endpoint, with their method. */
  get calls(): string[] {
    return this.requests.map(
      r =>
        `${r.init.method ?? 'GET'} ${url(r).slice(BASE.length + 'hub-groups/api/'.length)}`
    );
  }

  private answer(request: FakeRequest): any {
    const url = new URL(request.url);
    const path = url.pathname.slice(new URL(BASE).pathname.length);
    const parts = path.split('/').map(decodeURIComponent);
    // hub-groups/api/manage[/group[/action]]
    const [, , , group, action] = parts;
    if (group === undefined) {
      return response(200, { groups: this.manages });
    }
    if (!this.manages.includes(group)) {
      return response(403, { error: 'not-a-manager', message: 'no' });
    }
    const names: string[] = request.init.body
      ? JSON.parse(request.init.body).names
      : [];
    const known = (n: string) => this.users.includes(n);
    // As the server refuses them: names no user has, accounts no person.
    const problem = (n: string) =>
      n.includes('/')
        ? {
            name: n,
            error: 'invalid',
            message: "A user name cannot contain '/'."
          }
        : n.endsWith('-collab')
          ? {
              name: n,
              error: 'collaboration-account',
              message: `${n} is a project's collaboration account, not a person: it cannot be added here.`
            }
          : null;
    switch (action) {
      case undefined:
        return response(200, {
          group,
          members: [...this.members].sort(),
          fetched_at: 'now'
        });
      case 'users': {
        const prefix = url.searchParams.get('prefix') ?? '';
        return response(200, {
          users: this.users.filter(u => u.includes(prefix) && !problem(u))
        });
      }
      case 'preview':
        return response(200, {
          new: names.filter(
            n => known(n) && !problem(n) && !this.members.includes(n)
          ),
          member: names.filter(n => this.members.includes(n)),
          unknown: names.filter(n => !known(n) && !problem(n)),
          invalid: names.filter(n => problem(n)),
          problems: names.map(problem).filter(p => p)
        });
      case 'add': {
        const added = names.filter(
          n => known(n) && !problem(n) && !this.members.includes(n)
        );
        const already = names.filter(n => this.members.includes(n));
        this.members.push(...added);
        return response(200, {
          added,
          already,
          // As the server: names never sent first, then unknown users.
          errors: [
            ...names.map(problem).filter(p => p),
            ...names
              .filter(n => !known(n) && !problem(n))
              .map(n => ({
                name: n,
                error: 'unknown-user',
                message: `JupyterHub has no user ${n}.`
              }))
          ],
          members: [...this.members].sort()
        });
      }
      case 'remove': {
        const removed = names.filter(n => this.members.includes(n));
        this.members = this.members.filter(m => !removed.includes(m));
        return response(200, {
          removed,
          not_member: names.filter(n => !removed.includes(n)),
          errors: [],
          members: [...this.members].sort()
        });
      }
    }
    return response(404, { error: 'unknown-action', message: '?' });
  }
}

/**
 * Wait until `condition` holds (checked after each macrotask), at most
 * `timeout` ms of real time; fails the test with `what` otherwise.
 */
export async function waitFor(
  condition: () => boolean,
  what = 'a condition',
  timeout = 5000
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
