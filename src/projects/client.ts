/**
 * The projects' and shares' API of the hub-groups service, called with the
 * page's token (as `EnrolmentClient`: the token in a header, no cookie,
 * every answer fresh): the projects one is in or made, making one, its
 * members, its shared server's start and stop, names to complete, and the
 * shares of one's own server.
 *
 * Why the service: a project made in JupyterLab needs a group, an account
 * and shares made at once, with a token no single-user server may hold;
 * the service keeps them in step and in its database.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';

import type { ICollaboration } from '../collaboration/model';
import { HubGroupsError, requestJson, RequestTarget } from '../common/request';
import { stringsOf } from '../common/values';
import { ENROLMENT_API } from '../tokens';

/**
 * A project the service keeps, as `GET projects` lists it.
 */
export interface IProject {
  /** The project's name, also its hub group. */
  readonly name: string;
  /** The collaboration account whose server is the project's. */
  readonly account: string;
  /** Made in JupyterLab (`runtime`) or in the hub's YAML file (`file`). */
  readonly kind: 'runtime' | 'file';
  /** Who made it (runtime projects), or null. */
  readonly creator: string | null;
  /** Its members, sorted. */
  readonly members: readonly string[];
  /** Whether the user may change its members and delete it. */
  readonly mayManage: boolean;
  /** Its shared server's state. */
  readonly status: ICollaboration['status'];
}

/**
 * What `GET projects` answers.
 */
export interface IProjects {
  /** The projects the user is in or made, by name. */
  readonly projects: readonly IProject[];
  /** Whether the user may make another project now. */
  readonly mayCreate: boolean;
  /** How many projects the user has made. */
  readonly created: number;
  /** How many one may make. */
  readonly maxPerPerson: number;
}

/**
 * Who has access to one's own server: a person, or a group (whose members
 * each hold a share, kept in step by the service).
 */
export type IShare =
  | { readonly kind: 'user'; readonly user: string }
  | {
      readonly kind: 'group';
      readonly group: string;
      readonly users: readonly string[];
    };

/**
 * Calls the projects' and shares' API of the hub-groups service.
 */
export class ProjectsClient {
  /**
   * @param target - The service's API URL, the page's token, the fetch.
   */
  constructor(target: RequestTarget.IHub) {
    this._target = target;
  }

  /**
   * The client of this page, or null outside a hub, without a token, and
   * on someone else's server (a collaboration account's: what the page
   * did there, it would do for everyone working as the account).
   *
   * @param fetchFn - The fetch function (default: the browser's).
   */
  static fromPage(
    fetchFn?: RequestTarget.IHub['fetch']
  ): ProjectsClient | null {
    const hubPrefix = PageConfig.getOption('hubPrefix');
    const user = PageConfig.getOption('hubUser');
    const owner = PageConfig.getOption('hubServerUser');
    const token = PageConfig.getToken();
    if (!hubPrefix || !token || (owner && user && owner !== user)) {
      return null;
    }
    return new ProjectsClient({
      // The service's API, at {base_url}services/hub-groups/api/ (as the
      // courses' `enrolmentApiUrl`, not imported: its module is the courses').
      baseUrl: `${PageConfig.getOption('hubHost')}${URLExt.join(
        hubPrefix.replace(/hub\/?$/, ''),
        ENROLMENT_API
      )}`,
      token,
      fetch: fetchFn
    });
  }

  /**
   * `GET projects`.
   *
   * @throws HubGroupsError
   */
  async projects(): Promise<IProjects> {
    return readProjects(await requestJson(this._target, 'projects'));
  }

  /**
   * `POST projects`: make a project (the user is always a member).
   *
   * @param name - Its name.
   * @param members - The others in it.
   * @throws HubGroupsError (`not-allowed`, `too-many-projects`,
   *   `name-taken`, `invalid-name`, `unknown-users` with their names)
   */
  async create(name: string, members: readonly string[]): Promise<IProject> {
    return this._project('projects', 'POST', { name, members });
  }

  /**
   * `POST|DELETE projects/<name>/members`: add or remove members.
   *
   * @param name - The project.
   * @param users - Whom.
   * @param add - Add (else remove).
   * @throws HubGroupsError
   */
  async members(
    name: string,
    users: readonly string[],
    add: boolean
  ): Promise<IProject> {
    return this._project(
      Private.path(name, 'members'),
      add ? 'POST' : 'DELETE',
      {
        users
      }
    );
  }

  /**
   * `DELETE projects/<name>`: the project, its account, group and shares.
   *
   * @param name - The project.
   * @throws HubGroupsError
   */
  async remove(name: string): Promise<void> {
    await requestJson(this._target, Private.path(name), { method: 'DELETE' });
  }

  /**
   * `POST projects/<name>/start|stop`: its shared server.
   *
   * @param name - The project.
   * @param start - Start (else stop).
   * @returns The project as answered.
   * @throws HubGroupsError
   */
  async server(name: string, start: boolean): Promise<IProject> {
    return this._project(Private.path(name, start ? 'start' : 'stop'), 'POST');
  }

  /**
   * `GET people?q=`: names starting with `prefix`, to complete from.
   *
   * @param prefix - What was typed (at least one character).
   * @throws HubGroupsError
   */
  async people(prefix: string): Promise<string[]> {
    const body = await requestJson(this._target, 'people', {
      query: { q: prefix }
    });
    return stringsOf(body?.users);
  }

  /**
   * `GET shares`: who has access to one's own server.
   *
   * @throws HubGroupsError
   */
  async shares(): Promise<IShare[]> {
    return readShares(await requestJson(this._target, 'shares'));
  }

  /**
   * `POST shares`: share one's own server with people or one of one's
   * groups.
   *
   * @param whom - `{ users }` or `{ group }`.
   * @returns Who has access now.
   * @throws HubGroupsError
   */
  async share(
    whom: { users: readonly string[] } | { group: string }
  ): Promise<IShare[]> {
    return readShares(
      await requestJson(this._target, 'shares', { method: 'POST', json: whom })
    );
  }

  /**
   * `DELETE shares`: take a person's or a group's access away.
   *
   * @param whom - `{ user }` or `{ group }`.
   * @returns Who has access now.
   * @throws HubGroupsError
   */
  async revoke(whom: { user: string } | { group: string }): Promise<IShare[]> {
    return readShares(
      await requestJson(this._target, 'shares', {
        method: 'DELETE',
        json: whom
      })
    );
  }

  private async _project(
    path: string,
    method: string,
    json?: unknown
  ): Promise<IProject> {
    const project = readProject(
      await requestJson(this._target, path, { method, json })
    );
    if (!project) {
      throw HubGroupsError.badAnswer('projects: not a project');
    }
    return project;
  }

  private _target: RequestTarget.IHub;
}

/**
 * A project of an answer, or null when it is not one.
 *
 * @param p - The JSON value.
 */
export function readProject(p: any): IProject | null {
  if (!p || typeof p.name !== 'string' || typeof p.account !== 'string') {
    return null;
  }
  return {
    name: p.name,
    account: p.account,
    kind: p.kind === 'file' ? 'file' : 'runtime',
    creator: typeof p.creator === 'string' ? p.creator : null,
    members: stringsOf(p.members),
    mayManage: p.may_manage === true,
    status: ['running', 'starting', 'stopping', 'stopped'].includes(p.status)
      ? p.status
      : 'unknown'
  };
}

/**
 * A `GET projects` answer.
 *
 * @param body - The JSON body.
 * @throws HubGroupsError `bad-answer` without a list.
 */
export function readProjects(body: any): IProjects {
  if (!body || !Array.isArray(body.projects)) {
    throw HubGroupsError.badAnswer('projects: no list');
  }
  const projects = body.projects
    .map(readProject)
    .filter((p: IProject | null): p is IProject => p !== null)
    .sort((a: IProject, b: IProject) => a.name.localeCompare(b.name));
  return {
    projects,
    mayCreate: body.may_create === true,
    created: Private.count(body.created),
    maxPerPerson: Private.count(body.max_per_person)
  };
}

/**
 * A shares answer (`GET`, `POST`, `DELETE shares`).
 *
 * @param body - The JSON body.
 * @throws HubGroupsError `bad-answer` without a list.
 */
export function readShares(body: any): IShare[] {
  if (!body || !Array.isArray(body.shares)) {
    throw HubGroupsError.badAnswer('shares: no list');
  }
  const shares: IShare[] = [];
  for (const s of body.shares) {
    if (s?.kind === 'user' && typeof s.user === 'string') {
      shares.push({ kind: 'user', user: s.user });
    } else if (s?.kind === 'group' && typeof s.group === 'string') {
      shares.push({ kind: 'group', group: s.group, users: stringsOf(s.users) });
    }
  }
  return shares;
}

namespace Private {
  /**
   * `projects/<name>[/<rest>]`, the name escaped.
   */
  export function path(name: string, rest?: string): string {
    return `projects/${encodeURIComponent(name)}${rest ? `/${rest}` : ''}`;
  }

  /**
   * A whole number of an answer, 0 otherwise.
   */
  export function count(value: unknown): number {
    return Number.isInteger(value) && (value as number) >= 0
      ? (value as number)
      : 0;
  }
}
