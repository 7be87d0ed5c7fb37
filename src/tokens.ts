import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import type { ReadModel } from './common/readmodel';
import type { HubGroupsError } from './common/request';

/**
 * Our server extension's identity endpoint, below the server's base URL:
 * `GET` answers the requesting user's hub identity and groups.
 */
export const ME_ENDPOINT = 'hub-groups/api/me';

/**
 * Our server extension's presence endpoint, below the server's base URL:
 * who is using this server, answered to members of its groups only.
 */
export const PRESENCE_ENDPOINT = 'hub-groups/api/presence';

/**
 * Our server extension's endpoint for the requester's shared servers, below
 * the server's base URL.
 */
export const COLLABORATIONS_ENDPOINT = 'hub-groups/api/collaborations';

/**
 * Our server extension's endpoints for managing a group's members, below
 * the server's base URL: `GET` answers the groups the requester may manage;
 * `manage/<group>` and below read and change one group's members.
 */
export const MANAGE_ENDPOINT = 'hub-groups/api/manage';

/**
 * The hub-side `hub-groups` service's enrolment API, below the hub's base
 * URL (the hub prefix without `hub/`): requests to join courses and the
 * instructors' decisions. Called with the page's token.
 */
export const ENROLMENT_API = 'services/hub-groups/api/';

/**
 * What a token must hold to call the `hub-groups` service: the hub helper
 * gives it to the page's token on a person's own server when a course
 * takes requests (or is open), that is when the service's API exists.
 */
export const ENROLMENT_SCOPE = 'access:services!service=hub-groups';

/**
 * The hub groups the browser user may manage (provided by the course
 * members plugin).
 */
export const ICourseManagement = new Token<ICourseManagement>(
  'jupyterlab-hub-groups:ICourseManagement',
  "The hub groups the browser user may manage, as the hub says (from the page token's scopes)."
);

/**
 * The hub groups the browser user may manage: the hub decides, from the
 * page token's scopes (`groups!group=<g>`); empty outside a hub.
 */
export interface ICourseManagement {
  /**
   * The groups, sorted.
   */
  readonly groups: readonly string[];

  /**
   * Emitted when `groups` change.
   */
  readonly changed: ISignal<ICourseManagement, void>;
}

/**
 * The logged-in user's JupyterHub identity and groups.
 */
export const IHubGroups = new Token<IHubGroups>(
  'jupyterlab-hub-groups:IHubGroups',
  "The browser user's JupyterHub identity and the hub groups they hold."
);

/**
 * Who the browser user is according to JupyterHub, and which groups they hold.
 *
 * #### Notes
 * Fails closed: `groups` is empty unless the hub answered recently. Hiding
 * things in the browser is convenience; anything a non-member must not use is
 * enforced on the server.
 */
export interface IHubGroups {
  /**
   * Where the answer stands. See {@link IHubGroups.Status}.
   */
  readonly status: IHubGroups.Status;

  /**
   * The user, or null before the first answer and after a refusal.
   */
  readonly user: IHubGroups.IUser | null;

  /**
   * The hub groups of the user; empty unless `status` is `ready` or `stale`.
   */
  readonly groups: ReadonlySet<string>;

  /**
   * When the hub last answered (the last successful refresh), or null if
   * it never did.
   *
   * #### Notes
   * Kept when later refreshes fail or the hub refuses the session, though
   * `groups` are then dropped: it says when they were last known.
   */
  readonly lastUpdated: Date | null;

  /**
   * Why the last refresh failed, or null. Word it with `errorMessage`
   * (`common/wording.ts`).
   */
  readonly error: HubGroupsError | null;

  /**
   * Problems the hub reported with this server's start, one sentence each
   * (a hook of ours replaced later in the hub's config, a profile undoing
   * what it set); empty when none, or when the server does not say.
   *
   * #### Notes
   * Plain text from the hub: render it as text, never as markup. It is
   * about this server, not the user: it is kept across failed refreshes.
   */
  readonly spawnProblems: readonly string[];

  /**
   * Whether this page may call the hub-side `hub-groups` service (requests
   * to join courses): the hub's answer says the page's token holds
   * `access:services!service=hub-groups` (see {@link ENROLMENT_SCOPE}).
   *
   * #### Notes
   * False before the first answer, after a refusal, and on a hub without
   * the service (or a server started before it took requests): nothing
   * should ask the service then, since it would be refused or not there.
   */
  readonly hubGroupsService: boolean;

  /**
   * The groups the user joined after the server serving this page started,
   * on their own server (our server extension compares with what the hub
   * said as it started); empty elsewhere, and when unknown.
   *
   * #### Notes
   * What comes with a group at a server's start comes with the next start
   * only: the shared server of a project (this server's hub token may not
   * see it, so it has no collaboration card), a course's kernels and web
   * services. Hub group names: render them as text.
   */
  readonly joinedSinceStart: readonly string[];

  /**
   * Emitted when `status`, `user`, `groups`, `error`, `spawnProblems`,
   * `hubGroupsService` or `joinedSinceStart` change.
   */
  readonly changed: ISignal<IHubGroups, void>;

  /**
   * Resolves after the first answer or failure (never rejects).
   */
  readonly ready: Promise<void>;

  /**
   * What the first answer of our server extension's `me` carried for the
   * other plugins (asked with `startup=1`), so that they need not ask
   * their own endpoints as the page loads.
   *
   * #### Notes
   * Resolves with null when that answer did not carry it: outside a hub,
   * on a server without our extension (the hub's own answer), after a
   * failed first read. Never rejects.
   */
  readonly startup: Promise<IHubGroups.IStartup | null>;

  /**
   * Whether the user holds any of `groups`.
   *
   * @param groups - Group names; an empty list means "anyone logged in".
   * @returns False whenever the groups are unknown (fail closed).
   */
  isMemberOfAny(groups: readonly string[]): boolean;

  /**
   * Ask again now. Joins a request already in flight instead of adding one.
   *
   * @returns Resolves when the answer (or failure) is in; never rejects.
   */
  refresh(): Promise<void>;
}

/**
 * A namespace for IHubGroups types.
 */
export namespace IHubGroups {
  /**
   * The package's one status vocabulary ({@link ReadModel.Status}), for
   * the groups:
   * - `loading`: no answer yet.
   * - `ready`: the groups are the hub's latest answer.
   * - `stale`: the last refresh failed; the previous answer is kept for a
   *   grace period.
   * - `refused`: the hub or our server refused the session (401, 403);
   *   groups are empty at once.
   * - `unavailable`: no usable answer (a failure with no answer before, or
   *   past the grace period); groups are empty.
   * - `absent`: not running under JupyterHub; groups are empty, and
   *   nothing is asked.
   */
  export type Status = ReadModel.Status;

  /**
   * What the first answer of `me` carried for the other plugins (its
   * `startup` field): each the body of an endpoint's `GET`, or null (ask
   * that endpoint).
   */
  export interface IStartup {
    /** Body of GET manage (`{groups: string[]}`), or null: ask it. */
    readonly manage: unknown | null;
    /** Body of GET presence, or null: may not see it here, or ask it. */
    readonly presence: unknown | null;
    /** Body of GET collaborations, or null: ask it. */
    readonly collaborations: unknown | null;
    /**
     * The `startup` object as sent: the projects plugin reads its own
     * fields there (`projects_service`, `project_access`,
     * `service_projects`) in the code it loads when they call for it.
     */
    readonly projects?: { readonly [field: string]: unknown };
    /**
     * Courses taking new members (by request or open) the user is not in;
     * `[]`: do not ask the service for Join cards at start; null:
     * unknown, ask it.
     */
    readonly coursesToJoin:
      readonly { group: string; enrolment: string }[] | null;
  }

  /**
   * The user as the hub knows them.
   */
  export interface IUser {
    /**
     * The hub user name.
     */
    readonly name: string;
    /**
     * The display name (the user name where none is known).
     */
    readonly displayName: string;
    /**
     * Owner of the server this page is served by; differs from `name` on a
     * shared server. Null when unknown.
     */
    readonly serverOwner: string | null;
  }
}
