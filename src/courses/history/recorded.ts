/**
 * The members of a group whose changes made here are reported to the
 * hub-groups service, for the course's history.
 */
import { Signal, ISignal } from '@lumino/signaling';

import { CourseMembersModel } from '../members/model';
import { HistoryClient } from './client';

/**
 * `CourseMembersModel`, whose adds, removes and undos, once the hub has
 * made them, are reported to the service (which checks them with the
 * hub and records who did them).
 *
 * #### Notes
 * A report is sent after the change succeeded, and never delays or fails
 * it: a report that fails is said in the console only (a background
 * task), and that change is missing from the history.
 */
export class RecordedMembersModel extends CourseMembersModel {
  /**
   * @param options - The model's, and the history's client.
   */
  constructor(options: RecordedMembersModel.IOptions) {
    super(options);
    this.history = options.history;
  }

  /**
   * Where changes are reported.
   */
  readonly history: HistoryClient;

  /**
   * Emitted once a report was answered (the history may show it now).
   */
  get reported(): ISignal<this, void> {
    return this._reported;
  }

  async add(names: readonly string[]): Promise<CourseMembersModel.IResult> {
    return this._report(await super.add(names));
  }

  async remove(names: readonly string[]): Promise<CourseMembersModel.IResult> {
    return this._report(await super.remove(names));
  }

  async undo(): Promise<CourseMembersModel.IResult | null> {
    const result = await super.undo();
    return result && this._report(result);
  }

  private _report(
    result: CourseMembersModel.IResult
  ): CourseMembersModel.IResult {
    if (result.done.length) {
      const kind = result.action === 'add' ? 'added' : 'removed';
      this.history
        .report(this.group, kind, result.done)
        .then(() => this._reported.emit())
        .catch(reason =>
          console.error(
            `jupyterlab-hub-groups: the history of ${this.group} could not record who was ${kind}`,
            reason
          )
        );
    }
    return result;
  }

  private _reported = new Signal<this, void>(this);
}

/**
 * A namespace for RecordedMembersModel statics.
 */
export namespace RecordedMembersModel {
  /**
   * Options to create the model.
   */
  export interface IOptions extends CourseMembersModel.IOptions {
    /** Where changes are reported. */
    history: HistoryClient;
  }
}
