import { ILauncher } from '@jupyterlab/launcher';
import { IDisposable } from '@lumino/disposable';

import { CourseManagementModel } from './model';

/**
 * The launcher's "Manage <group>" cards: one per group the user may
 * manage, in the group's own category (where the course's cards are).
 *
 * #### Notes
 * Which groups is the hub's answer (`CourseManagementModel`); cards come
 * and go with it, without a reload.
 */
export class ManageCards implements IDisposable {
  /**
   * @param options - The model, the launcher and the cards' command.
   */
  constructor(options: ManageCards.IOptions) {
    this._model = options.model;
    this._launcher = options.launcher;
    this._command = options.command;
    this._model.changed.connect(this._sync, this);
    this._sync();
  }

  /**
   * Whether the cards are disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Remove every card and stop following the model. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.changed.disconnect(this._sync, this);
    for (const card of this._cards.values()) {
      card.dispose();
    }
    this._cards.clear();
  }

  private _sync(): void {
    const groups = new Set(this._model.groups);
    for (const [group, card] of this._cards) {
      if (!groups.has(group)) {
        card.dispose();
        this._cards.delete(group);
      }
    }
    for (const group of groups) {
      if (!this._cards.has(group)) {
        this._cards.set(
          group,
          this._launcher.add({
            command: this._command,
            args: { group },
            category: group,
            // after the course's own cards
            rank: 100
          })
        );
      }
    }
  }

  private _model: CourseManagementModel;
  private _launcher: ILauncher;
  private _command: string;
  private _cards = new Map<string, IDisposable>();
  private _isDisposed = false;
}

/**
 * A namespace for ManageCards statics.
 */
export namespace ManageCards {
  /**
   * Options to create the cards.
   */
  export interface IOptions {
    /** The groups the user may manage. */
    model: CourseManagementModel;
    /** The launcher the cards go to. */
    launcher: ILauncher;
    /** The command a card runs, with `{ group }` as args. */
    command: string;
  }
}
