import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { stringsOf } from '../../common/values';
import { PagePoll } from '../../common/poller';
import { HubGroupsError } from '../../common/request';
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
 * than the user could with JupyterHub's REST API. A members answer that was
 * asked before a change finished is dropped (the change's answer is newer).
 */
export class CourseMembersModel implements IDisposable {
  /**
   * @param options - The server, the group, and seconds between reads.
   */
  constructor(options: CourseMembersModel.IOptions) {
    this.group = options.group;
    this._client = new ManageClient(options.serverSettings);
    this._poll = new PagePoll({
      auto: false,
      factory: () => this.refresh(),
      interval: options.interval ?? 10,
      minInterval: CourseMembersModel.MIN_INTERVAL,
      name: `jupyterlab-hub-groups:manage/${options.group}`,
      // Focus and the page shown again read at once, while a panel shows them.
      wakeWhen: () => this._active
    });
  }

  /**
   * The group managed.
   */
  readonly group: string;

  /**
   * The members, sorted as the server sends them.
   */
  get members(): readonly string[] {
    return this._members;
  }

  /**
   * Where the members list stands:
   * - `loading`: no answer yet;
   * - `ready`: the hub's latest answer;
   * - `stale`: the last read failed, the list shown is the one before;
   * - `forbidden`: the user may not manage this group (the list is empty);
   * - `missing`: the hub has no such group;
   * - `error`: no list could be read.
   */
  get status(): CourseMembersModel.Status {
    return this._status;
  }

  /**
   * Why the last read failed, or null (views word its code).
   */
  get error(): HubGroupsError | null {
    return this._error;
  }

  /**
   * When the members were last read or changed, or null.
   */
  get fetchedAt(): Date | null {
    return this._fetchedAt;
  }

  /**
   * The last change made from here, which `undo()` reverts, or null.
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
   * Emitted when anything above changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Whether the members are kept fresh: true while a panel shows them.
   * Reads at once when turned on.
   */
  get active(): boolean {
    return this._active;
  }
  set active(active: boolean) {
    if (active === this._active || this._isDisposed) {
      return;
    }
    this._active = active;
    void (active ? this._poll.start() : this._poll.stop());
  }

  /**
   * Seconds between reads while active and the page is visible (at least 5).
   */
  set interval(seconds: number) {
    this._poll.interval = seconds;
  }

  /**
   * Read the members now; joins a read in flight.
   *
   * @returns Rejects when the read failed (the status says so too).
   */
  refresh(): Promise<void> {
    if (!this._inFlight) {
      this._inFlight = this._read().finally(() => {
        this._inFlight = null;
      });
    }
    return this._inFlight;
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
        invalid: stringsOf(body.invalid)
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
    this._changed.emit();
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

  /**
   * Stop reading and release the listeners. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _read(): Promise<void> {
    const epoch = this._epoch;
    let members: string[];
    try {
      members = await this._client.members(this.group);
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      if (epoch === this._epoch) {
        this._failed(error);
      }
      throw error;
    }
    if (epoch !== this._epoch || this._busy) {
      return; // a change answered meanwhile, with a newer list
    }
    this._setMembers(members);
  }

  private _failed(reason: HubGroupsError): void {
    if (reason.refused) {
      this._update('forbidden', [], reason);
    } else if (reason.status === 404 && reason.code === 'no-such-group') {
      this._update('missing', [], reason);
    } else if (this._status === 'ready' || this._status === 'stale') {
      this._update('stale', this._members, reason);
    } else {
      this._update('error', [], reason);
    }
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
    this._busy++;
    this._epoch++;
    this._changed.emit();
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
          this._setMembers(body.members);
        }
      }
    } catch (reason) {
      const error = HubGroupsError.from(reason);
      if (error.status === 403) {
        this._failed(error);
      }
      throw error;
    } finally {
      this._busy--;
      this._epoch++;
      this._changed.emit();
    }
    if (record && result.done.length) {
      this._lastChange = { action, names: result.done.slice() };
      this._changed.emit();
    }
    return result;
  }

  private _setMembers(members: unknown): void {
    this._fetchedAt = new Date();
    this._update('ready', stringsOf(members), null);
  }

  private _update(
    status: CourseMembersModel.Status,
    members: readonly string[],
    error: HubGroupsError | null
  ): void {
    const same =
      status === this._status &&
      error?.code === this._error?.code &&
      members.length === this._members.length &&
      members.every((m, i) => m === this._members[i]);
    this._status = status;
    this._members = members;
    this._error = error;
    if (!same) {
      this._changed.emit();
    }
  }

  private _client: ManageClient;
  private _poll: PagePoll;
  private _inFlight: Promise<void> | null = null;
  private _members: readonly string[] = [];
  private _status: CourseMembersModel.Status = 'loading';
  private _error: HubGroupsError | null = null;
  private _fetchedAt: Date | null = null;
  private _lastChange: CourseMembersModel.IChange | null = null;
  private _busy = 0;
  private _epoch = 0;
  private _active = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
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
   * See {@link CourseMembersModel.status}.
   */
  export type Status =
    'loading' | 'ready' | 'stale' | 'forbidden' | 'missing' | 'error';

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
