/**
 * Where the groups model asks, and how it reads the answers: our server
 * extension's `me`, or, on a server without it, the hub's own `api/user`
 * with the page's token. Kept apart from the model, which schedules the
 * asking and keeps the state.
 */
import { ServerConnection } from '@jupyterlab/services';

import type { ReadModel } from '../common/readmodel';
import { HubGroupsError, requestJson } from '../common/request';
import { stringsOf } from '../common/values';
import { ENROLMENT_SCOPE, IHubGroups, ME_ENDPOINT } from '../tokens';

/**
 * A usable answer.
 */
export interface IAnswer {
  /** The user. */
  user: IHubGroups.IUser;
  /** Their hub groups. */
  groups: string[];
  /** When the hub said so. */
  fetchedAt: Date;
  /** The hub's problems with this server's start. */
  spawnProblems: readonly string[];
  /** Whether the page may call the hub-groups service. */
  hubGroupsService: boolean;
  /** Groups joined since this server started. */
  joinedSinceStart: readonly string[];
  /** What the answer carried for the other plugins, or null. */
  startup: IHubGroups.IStartup | null;
  /** The server says it is not under a hub. */
  noHub?: boolean;
}

/**
 * What the page knows about the hub (JupyterHub puts it in PageConfig).
 */
export interface IHubInfo {
  /** The hub's URL prefix, e.g. `/hub/`. */
  prefix: string;
  /** The hub's origin when it differs from the page's, else ''. */
  host: string;
  /** The browser user's hub token. Sent in a header only, never in a URL. */
  token: string;
  /** The owner of the server serving this page. */
  serverUser: string;
}

/**
 * Seconds a wake-up's answer may be old.
 */
export const WAKE_WINDOW = 1;

/**
 * Ask our server extension's `me`.
 *
 * @param serverSettings - The server serving this page.
 * @param why - What asks: a tick takes the server's few-seconds cache, a
 *   wake-up (focus, page shown again) wants an answer at most WAKE_WINDOW
 *   seconds old (tabs woken together still share one hub request), the
 *   user's refresh ("Refresh Hub Groups") asks the hub now.
 * @param startup - Ask for what the other plugins read first (`startup=1`).
 * @throws HubGroupsError (a 404: no server extension here).
 */
export async function askServer(
  serverSettings: ServerConnection.ISettings,
  why: ReadModel.Reason,
  startup: boolean
): Promise<IAnswer> {
  const body = await requestJson({ serverSettings }, ME_ENDPOINT, {
    query: {
      startup: startup ? 1 : null,
      max_age: why === 'wake' ? WAKE_WINDOW : null,
      refresh: why === 'refresh' ? 1 : null
    }
  });
  return readAnswer(body, 'server');
}

/**
 * Ask the hub's own `api/user` with the page's token.
 *
 * @param hub - The hub.
 * @param fetchFn - The fetch function (the server settings', called on no
 *   object: the browser's must be called on its global).
 * @throws HubGroupsError
 */
export async function askHub(
  hub: IHubInfo,
  fetchFn: ServerConnection.ISettings['fetch']
): Promise<IAnswer> {
  const body = await requestJson(
    {
      baseUrl: hub.host + hub.prefix,
      token: hub.token,
      fetch: (input, init) => fetchFn.call(null, input, init)
    },
    'api/user'
  );
  const answer = readAnswer(body, 'hub');
  return {
    ...answer,
    user: { ...answer.user, serverOwner: hub.serverUser || null }
  };
}

/**
 * The answer of a 2xx body.
 *
 * @param body - The JSON body.
 * @param source - Our server extension or the hub's own API.
 * @throws HubGroupsError `bad-answer` without a user or a list of groups.
 */
export function readAnswer(body: any, source: 'server' | 'hub'): IAnswer {
  const ours = source === 'server';
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
      startup: null,
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
    throw HubGroupsError.badAnswer(
      `${ours ? 'The server' : 'JupyterHub'} gave an answer without user or groups.`
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
    spawnProblems: ours ? spawnProblems(body.spawn_problems) : [],
    // Our server extension reads the token's scopes from the hub; the
    // hub's own answer lists them.
    hubGroupsService: ours
      ? body.hub_groups_service === true
      : Array.isArray(body.scopes) &&
        body.scopes.some(
          (scope: unknown) =>
            scope === ENROLMENT_SCOPE || scope === 'access:services'
        ),
    // Only our server extension knows this server's start; only groups
    // the answer holds (a confused answer names nothing else).
    joinedSinceStart: ours
      ? stringsOf(body.joined_since_start)
          .filter(group => body.groups.includes(group))
          .sort()
      : [],
    startup: ours ? readStartup(body.startup) : null
  };
}

/**
 * What `me`'s `startup` field carries, or null (none, or not an object).
 *
 * @param value - The field.
 */
export function readStartup(value: unknown): IHubGroups.IStartup | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const startup = value as Record<string, unknown>;
  const courses = startup.courses_to_join;
  return {
    manage: startup.manage ?? null,
    presence: startup.presence ?? null,
    collaborations: startup.collaborations ?? null,
    projects: startup,
    coursesToJoin: Array.isArray(courses)
      ? courses
          .filter(
            (c: any) =>
              c &&
              typeof c.group === 'string' &&
              typeof c.enrolment === 'string'
          )
          .map((c: any) => ({ group: c.group, enrolment: c.enrolment }))
      : null
  };
}

/**
 * Most problems kept, and characters of one: the server already cuts them
 * so (contract.py); this keeps a confused answer from filling the report.
 */
const MAX_PROBLEMS = 20;
const MAX_PROBLEM_LENGTH = 500;

/**
 * The spawn problems of an answer: its non-empty strings, trimmed;
 * anything else (no field from an older server, not a list, other items)
 * ignored.
 *
 * @param value - The answer's `spawn_problems`.
 */
export function spawnProblems(value: unknown): readonly string[] {
  return stringsOf(value)
    .map(item => item.trim().slice(0, MAX_PROBLEM_LENGTH))
    .filter(item => item.length > 0)
    .slice(0, MAX_PROBLEMS);
}

/**
 * Whether two lists hold the same strings in the same order.
 */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
