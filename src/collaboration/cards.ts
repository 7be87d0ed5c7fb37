import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon, usersIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';

import type { ICardCommand } from '../common/cardcommand';
import { ModelCards } from '../common/modelcards';
import { ICollaboration, ICollaborationSource } from './model';
import { caption, statusText } from './text';
import '../../style/collaboration.css';

/**
 * The launcher cards of the user's projects: one per project, to open,
 * start or stop the project's shared server.
 *
 * #### Notes
 * A card shows its state where JupyterLab's launcher shows things: in its
 * label ("Project vox · running") and as a badge on its icon (a coloured
 * dot, see `style/collaboration.css`); the tooltip adds the account and why a
 * state is unknown. A card is added again when its state changes, because
 * open launchers draw a card again only when the launcher changes (see
 * {@link ModelCards}).
 */
export class CollaborationCards implements IDisposable, ICardCommand {
  /**
   * @param options - The model, the launcher, and the cards' command.
   */
  constructor(options: CollaborationCards.IOptions) {
    const { model, command, trans } = options;
    this._model = model;
    this._trans = trans;
    this._url = options.url;
    this._cards = new ModelCards({
      model,
      launcher: options.launcher,
      cards: () =>
        model.collaborations.map(c => ({
          key: c.account,
          item: {
            command,
            args: { account: c.account },
            category: trans.__('Collaboration'),
            rank: 0
          },
          version: `${c.group}|${c.status}|${model.degraded?.code ?? ''}`
        }))
    });
  }

  /**
   * Whether the cards are disposed.
   */
  get isDisposed(): boolean {
    return this._cards.isDisposed;
  }

  /**
   * The label of a card: the project and its shared server's state,
   * e.g. "Project vox · running".
   *
   * @param args - The command's args, `{ account }`.
   */
  label(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    return c
      ? this._trans.__(
          'Project %1 · %2',
          c.group,
          statusText(c.status, this._trans)
        )
      : '';
  }

  /**
   * The icon of a card: the people icon with a badge of the state.
   *
   * @param args - The command's args, `{ account }`.
   * @returns The icon, whose container has the classes
   *   `jp-HubGroupsCollaboration-status jp-mod-<state>`.
   */
  icon(args: ReadonlyPartialJSONObject): LabIcon {
    return Private.statusIcon(this._of(args)?.status ?? 'unknown');
  }

  /**
   * The caption of a card: the project, its account and its status.
   *
   * @param args - The command's args, `{ account }`.
   */
  caption(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    return c ? caption(c, this._model.degraded, this._trans) : '';
  }

  /**
   * Show a project's dialog, with the status as of now and what can be done.
   *
   * @param args - The command's args, `{ account }`.
   */
  async open(args: ReadonlyPartialJSONObject): Promise<void> {
    await this._model.refresh();
    const c = this._of(args);
    if (!c) {
      return;
    }
    // The dialog is loaded when first shown.
    const { showActions } = await import('./dialog');
    await showActions(c, this._model, this._url(c.account), this._trans);
  }

  /**
   * Remove every card and stop following the model. Idempotent.
   */
  dispose(): void {
    this._cards.dispose();
  }

  private _of(args: ReadonlyPartialJSONObject): ICollaboration | undefined {
    return this._model.collaborations.find(
      c => c.account === String(args.account)
    );
  }

  private _model: ICollaborationSource;
  private _trans: TranslationBundle;
  private _url: (account: string) => string;
  private _cards: ModelCards<ICollaborationSource>;
}

/**
 * A namespace for CollaborationCards statics.
 */
export namespace CollaborationCards {
  /**
   * Options to create the cards.
   */
  export interface IOptions {
    /** The user's projects' shared servers: the server extension's
     *  (YAML projects) or the service's (projects made in JupyterLab). */
    model: ICollaborationSource;
    /** The launcher the cards go to. */
    launcher: ModelCards.ILauncherLike;
    /** The command a card runs, with `{ account }` as args. */
    command: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Where a shared server's JupyterLab is. */
    url: (account: string) => string;
  }
}

namespace Private {
  /**
   * The people icon with a state badge, one per state.
   *
   * #### Notes
   * The launcher passes a command's `iconClass` only to icons it cannot
   * resolve, so the classes are bound to the icon itself; one view per
   * state, made once, so that React keeps the card's icon element.
   */
  export function statusIcon(status: ICollaboration['status']): LabIcon {
    let icon = icons.get(status);
    if (!icon) {
      icon = usersIcon.bindprops({
        className: `jp-HubGroupsCollaboration-status jp-mod-${status}`
      });
      icons.set(status, icon);
    }
    return icon;
  }

  const icons = new Map<ICollaboration['status'], LabIcon>();
}
