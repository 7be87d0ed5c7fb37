import { ServerConnection } from '@jupyterlab/services';

import { ReadModel } from '../../common/readmodel';
import { HubGroupsError } from '../../common/request';
import { stringsOf } from '../../common/values';
import { ManageClient } from '../client';
import {
  chunks,
  IPreview,
  MAX_NAMES_PER_REQUEST,
  mergePreviews
} from './names';

/**
 * The members of one group, for a panel that manages them: read while the
 * panel is shown (every few seconds, and at once on window focus), changed
 * through the server extension, with the last change kept for undo.
 *
 * #### Notes
 * Every request goes to `hub-groups/api/manage/<group>…` with the page's
 * own token; the server asks the hub with it, so nothing here can do more
 * than the user could with JupyterHub's REST API. The status is
 * ReadModel's: `refused` when the user may not manage the group, `absent`
 * when the hub has no such group (a 404), `unavailable` when no list could
 * be read, `stale` when the last read failed after one was. A members
 * answer asked before a change finished is dropped: the change's answer
 * (it carries the members) is newer.
 */
export class CourseMembersModel extends ReadModel<readonly string[]> {
  /**
   * @param options - The server, the group, and seconds between reads.
   */
  constructor(options: CourseMembersModel.IOptions) {
    super({
      name: `manage/${options.group}`,
      interval: options.interval ?? 10,
      minInterval: CourseMembersModel.MIN_INTERVAL,
      // Polls while a panel shows the members (see `active`).
      auto: false,
      wakeOnFocus: () => true
    });
    this.group = options.group;
    this._client = new ManageClient(options.serverSettings);
  }

  /**
   * The group managed.
   */
  readonly group: string;

  /**
   * The members, sorted as the server sends them; none while refused,
   * absent or unavailable (kept while stale).
   */
  get members(): readonly string[] {
    return this.value ?? [];
  }

  /**
   * The last change made from here, which `undo()` reverts, or null
   * (`changed` says when it changes, and when `busy` does).
   */
  get lastChange(): CourseMembersModel.IChange | null {
    return this._lastChange;
  }

  /**
   * Whether a change is being applied.
   */
  get busy(): boolean {
    return this._busy > 0;
  }

  /**
   * What adding names would do, changing nothing. Lists longer than the
   * server takes at once are asked in parts.
   *
   * @param names - Folded names (see `foldNames`).
   * @throws HubGroupsError when the server refuses or fails.
   */
  async preview(names: readonly string[]): Promise<IPreview> {
    const parts: IPreview[] = [];
    for (const part of chunks(names, MAX_NAMES_PER_REQUEST)) {
      const body = await this._client.post(this.group, 'preview', part);
      parts.push({
        new: stringsOf(body.new),
        member: stringsOf(body.member),
        unknown: stringsOf(body.unknown),
        invalid: stringsOf(body.invalid),
        problems: Private.errors(body.problems)
      });
    }
    return mergePreviews(parts);
  }

  /**
   * Add names to the group; what can be added is, the rest is reported.
   *
   * @param names - Folded names.
   * @returns Added, already members, and an error per name not added.
   * @throws HubGroupsError when the request as a whole fails.
   */
  add(names: readonly string[]): Promise<CourseMembersModel.IResult> {
    return this._change('add', names, true);
  }

  /**
   * Remove names from the group.
   *
   * @param names - Folded names.
   * @returns Removed, not members, and an error per name not removed.
   * @throws HubGroupsError when the request as a whole fails.
   */
  remove(names: readonly string[]): Promise<CourseMembersModel.IResult> {
    return this._change('remove', names, true);
  }

  /**
   * Revert the last change: remove who was added, add back who was removed.
   *
   * @returns The result, or null when there is nothing to undo.
   * @throws HubGroupsError when the request fails (the change stays undoable).
   */
  async undo(): Promise<CourseMembersModel.IResult | null> {
    const last = this._lastChange;
    if (!last) {
      return null;
    }
    const result = await this._change(
      last.action === 'add' ? 'remove' : 'add',
      last.names,
      false
    );
    this._lastChange = null;
    this.emitChanged();
    return result;
  }

  /**
   * User names to complete a name from: those starting with `prefix`
   * first. Empty when the user may not list users.
   *
   * @param prefix - What was typed so far.
   * @param limit - At most this many (1 to 50).
   * @throws HubGroupsError when the server refuses or fails.
   */
  async complete(prefix: string, limit = 20): Promise<string[]> {
    return this._client.users(this.group, prefix.trim(), limit);
  }

  protected async read(): Promise<readonly string[]> {
    const epoch = this._epoch;
    let members: readonly string[];
    try {
      members = await this._client.members(this.group);
    } catch (reason) {
      throw Private.absentGroup(reason);
    }
    // Asked before (or during) a change: the change's answer is newer.
    const superseded = epoch !== this._epoch || this.busy;
    return superseded ? (this.value ?? members) : members;
  }

  private async _change(
    action: 'add' | 'remove',
    names: readonly string[],
    record: boolean
  ): Promise<CourseMembersModel.IResult> {
    const result: CourseMembersModel.IResult = {
      action,
      done: [],
      unchanged: [],
      errors: []
    };
    if (!names.length) {
      return result;
    }
    let refused = false;
    this._busy++;
    this._epoch++;
    this.emitChanged();
    try {
      for (const part of chunks(names, MAX_NAMES_PER_REQUEST)) {
        const body = await this._client.post(this.group, action, part);
        result.done.push(
          ...stringsOf(action === 'add' ? body.added : body.removed)
        );
        result.unchanged.push(
          ...stringsOf(action === 'add' ? body.already : body.not_member)
        );
        result.errors.push(...Private.errors(body.errors));
        if (Array.isArray(body.members)) {
          this.set(stringsOf(body.members));
        }
      }
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      refused = error.refused;
      throw error;
    } finally {
      this._busy--;
      this._epoch++;
      this.emitChanged();
      if (refused) {
        // The hub may no longer let the user manage the group: a read says
        // (`refused` closes the panel).
        void this.readAgain();
      }
    }
    if (record && result.done.length) {
      this._lastChange = { action, names: result.done.slice() };
      this.emitChanged();
    }
    return result;
  }

  private _client: ManageClient;
  private _lastChange: CourseMembersModel.IChange | null = null;
  private _busy = 0;
  private _epoch = 0;
}

/**
 * A namespace for CourseMembersModel statics.
 */
export namespace CourseMembersModel {
  /**
   * The least interval between reads, in seconds.
   *
   * #### Notes
   * The schema's minimum (`schema/courses.json`, `membersInterval`) says the same for the settings editor; a
   * jest spec (\`__tests__/courses/schema.spec.ts\`) holds the two equal.
   * The code does not import the schema: it lies outside tsc's \`rootDir\`
   * (\`src\`), and would put the whole schema into the page's start path
   * for one number.
   */
  export const MIN_INTERVAL = 5;

  /**
   * Options to create the model.
   */
  export interface IOptions {
    /** Settings of the server serving this page. */
    serverSettings: ServerConnection.ISettings;
    /** The group. */
    group: string;
    /** Seconds between reads while shown (10 by default, at least 5). */
    interval?: number;
  }

  /**
   * A change made from here.
   */
  export interface IChange {
    /** What was done. */
    readonly action: 'add' | 'remove';
    /** Who was added or removed (the hub's spelling). */
    readonly names: readonly string[];
  }

  /**
   * A name that could not be added or removed, and why.
   */
  export interface INameError {
    /** The name as sent. */
    name: string;
    /** `unknown-user`, `invalid`, `refused`, or another code of the server. */
    error: string;
    /** The server's sentence. */
    message: string;
  }

  /**
   * What a change did, name by name.
   */
  export interface IResult {
    /** What was asked. */
    action: 'add' | 'remove';
    /** Added (or removed). */
    done: string[];
    /** Already members (or not members): nothing to do. */
    unchanged: string[];
    /** Not done, with why. */
    errors: INameError[];
  }
}

namespace Private {
  /**
   * A failed read of the members as ReadModel takes it: a 404 (the hub
   * has no such group, `no-such-group`) is `absent`, as `GET manage` has
   * it (see `ManageClient.managed`).
   *
   * @param reason - What the read threw.
   */
  export function absentGroup(reason: unknown): HubGroupsError {
    const error = HubGroupsError.from(reason);
    return error.status === 404 && error.code !== 'absent'
      ? new HubGroupsError(404, 'absent', error.serverMessage)
      : error;
  }

  /**
   * The per-name errors of a change.
   */
  export function errors(value: unknown): CourseMembersModel.INameError[] {
    if (!Array.isArray(value)) {
      return [];
    }
    return value
      .filter(e => e && typeof e.name === 'string')
      .map(e => ({
        name: e.name,
        error: typeof e.error === 'string' ? e.error : 'refused',
        message: typeof e.message === 'string' ? e.message : ''
      }));
  }
}
