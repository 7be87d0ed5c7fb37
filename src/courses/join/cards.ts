import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';

import type { ICardCommand } from '../../common/cardcommand';
import { ModelCards } from '../../common/modelcards';
import { ICourseManagement, IHubGroups } from '../../tokens';
import type { IAskAnswer } from '../client';
import { IJoinable, JoinModel } from './model';
import { sentence, stateText, statusIcon } from './text';
import '../../../style/joincards.css';

/**
 * The launcher's "Join <course>" cards, in a "Courses" category: one per
 * course the user may ask to join (or join) and is not in, showing where
 * their request stands, and the dialog a card opens.
 *
 * #### Notes
 * A card shows its state as the collaboration cards do: in its label
 * ("Join Class1234_Semester02 · Pending") and as a badge on its icon; its
 * tooltip says more. A card is added again when its state changes, since
 * open launchers draw a card again only when the launcher changes. A
 * course the groups service says the user is in has no card, whatever the
 * enrolment service said last, nor one the user manages (its instructors
 * have its "Manage" card instead). The dialog (`dialog.ts`, `form.ts`) is
 * loaded with `import()` when a card is first opened.
 */
export class JoinCards implements IDisposable, ICardCommand {
  /**
   * @param options - The model, the groups service, the launcher, the
   *   cards' command and the translation bundle.
   */
  constructor(options: JoinCards.IOptions) {
    this._model = options.model;
    this._groups = options.groups;
    this._managed = options.managed ?? null;
    this._trans = options.trans;
    const { command, trans } = options;
    this._cards = new ModelCards({
      model: this._model,
      launcher: options.launcher,
      cards: () =>
        this._joinable().map(c => ({
          key: c.group,
          version: c.state,
          item: {
            command,
            args: { group: c.group },
            category: trans.__('Courses'),
            rank: 0
          }
        }))
    });
    this._groups.changed.connect(this._update, this);
    this._managed?.changed.connect(this._update, this);
  }

  /**
   * Whether the cards are disposed.
   */
  get isDisposed(): boolean {
    return this._cards.isDisposed;
  }

  /**
   * The label of a card: "Join <course>", and its state unless it may
   * simply be joined (e.g. "Join Class1234_Semester02 · Pending").
   *
   * @param args - The command's args, `{ group }`.
   */
  label(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    if (!c) {
      return typeof args.group === 'string'
        ? this._trans.__('Join %1', args.group)
        : this._trans.__('Join a Course');
    }
    return c.state === 'open'
      ? this._trans.__('Join %1', c.title)
      : this._trans.__(
          'Join %1 · %2',
          c.title,
          stateText(c.state, this._trans)
        );
  }

  /**
   * The caption (tooltip) of a card: a sentence on its state.
   *
   * @param args - The command's args, `{ group }`.
   */
  caption(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    return c ? sentence(c, this._trans, 'card') : '';
  }

  /**
   * The icon of a card: a mortarboard with a badge of the state.
   *
   * @param args - The command's args, `{ group }`.
   * @returns The icon, whose container has the classes
   *   `jp-HubGroupsJoin-status jp-mod-<state>`.
   */
  icon(args: ReadonlyPartialJSONObject): LabIcon {
    return statusIcon(this._of(args)?.state ?? 'unavailable');
  }

  /**
   * Show a course's dialog: ask (with a message), join, or withdraw.
   *
   * @param args - The command's args, `{ group }`.
   * @returns What the service did, or null (closed, nothing done).
   */
  async open(args: ReadonlyPartialJSONObject): Promise<IAskAnswer | null> {
    if (!this._of(args)) {
      return null;
    }
    // Read again first (a decision may have come since the last read),
    // while the dialog's code loads; a slow service does not hold the
    // dialog longer than a moment (it shows the last answer then).
    const [{ showJoin }] = await Promise.all([
      import('./dialog'),
      Promise.race([
        this._model.refresh(),
        new Promise(resolve => setTimeout(resolve, JoinCards.FRESH_WAIT))
      ])
    ]);
    const c = this._of(args);
    return c ? showJoin(c, this._model, this._trans) : null;
  }

  /**
   * Remove every card and stop following the model. Idempotent.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._groups.changed.disconnect(this._update, this);
    this._managed?.changed.disconnect(this._update, this);
    this._cards.dispose();
  }

  private _update(): void {
    this._cards.update();
  }

  private _joinable(): IJoinable[] {
    return this._model.joinable(
      new Set([...this._groups.groups, ...(this._managed?.groups ?? [])])
    );
  }

  private _of(args: ReadonlyPartialJSONObject): IJoinable | undefined {
    return this._joinable().find(c => c.group === args.group);
  }

  private _model: JoinModel;
  private _groups: IHubGroups;
  private _managed: ICourseManagement | null;
  private _trans: TranslationBundle;
  private _cards: ModelCards<JoinModel>;
}

/**
 * A namespace for JoinCards statics.
 */
export namespace JoinCards {
  /**
   * How long opening a card waits for a fresh answer, in ms.
   */
  export const FRESH_WAIT = 1500;

  /**
   * Options to create the cards.
   */
  export interface IOptions {
    /** The courses one may join. */
    model: JoinModel;
    /** The groups service: courses it lists have no card. */
    groups: IHubGroups;
    /** The groups the user manages: no card either. */
    managed?: ICourseManagement | null;
    /** The launcher the cards go to. */
    launcher: ModelCards.ILauncherLike;
    /** The command a card runs, with `{ group }` as args. */
    command: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
  }
}
