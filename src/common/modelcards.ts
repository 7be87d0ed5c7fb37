import { ILauncher } from '@jupyterlab/launcher';
import { JSONExt, ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal } from '@lumino/signaling';

/**
 * Launcher cards that follow a model: the cards in the launcher are, at
 * all times, those a function of the model says, each added once.
 *
 * #### Notes
 * Each card has a key. When the model changes, cards no longer said are
 * removed, new ones added, and a card whose item (or `version`) changed is
 * added again: open launchers draw a card again only when the launcher
 * changes, so a card whose label follows a state is re-added when the
 * state changes. The launcher orders the cards (by rank, then label).
 * Disposing removes them all.
 */
export class ModelCards<
  M extends { readonly changed: ISignal<any, any> }
> implements IDisposable {
  /**
   * Add the model's cards now and follow it.
   *
   * @param options - The model, the launcher, and the cards of a model.
   */
  constructor(options: ModelCards.IOptions<M>) {
    this._model = options.model;
    this._launcher = options.launcher;
    this._cards = options.cards;
    this._model.changed.connect(this.update, this);
    this.update();
  }

  /**
   * The keys of the cards in the launcher, in the order they were said.
   */
  get keys(): string[] {
    return [...this._added.keys()];
  }

  /**
   * Whether the cards are disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Make the launcher's cards what the model says now (the model's
   * `changed` calls it; call it when the cards depend on more).
   */
  update(): void {
    if (this._isDisposed) {
      return;
    }
    const wanted = new Map<string, ModelCards.ICard>();
    for (const card of this._cards(this._model)) {
      wanted.set(card.key, card);
    }
    for (const [key, added] of this._added) {
      const card = wanted.get(key);
      if (!card || !Private.same(card, added.card)) {
        added.disposable.dispose();
        this._added.delete(key);
      }
    }
    for (const [key, card] of wanted) {
      if (!this._added.has(key)) {
        this._added.set(key, {
          card,
          disposable: this._launcher.add(card.item)
        });
      }
    }
  }

  /**
   * Remove every card and stop following the model. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.changed.disconnect(this.update, this);
    for (const { disposable } of this._added.values()) {
      disposable.dispose();
    }
    this._added.clear();
  }

  private _model: M;
  private _launcher: ModelCards.ILauncherLike;
  private _cards: (model: M) => Iterable<ModelCards.ICard>;
  private _added = new Map<
    string,
    { card: ModelCards.ICard; disposable: IDisposable }
  >();
  private _isDisposed = false;
}

/**
 * A namespace for ModelCards types.
 */
export namespace ModelCards {
  /**
   * What the cards need of a launcher.
   */
  export type ILauncherLike = Pick<ILauncher, 'add'>;

  /**
   * One card.
   */
  export interface ICard {
    /** Which card this is (a group's, an item's id). */
    readonly key: string;
    /** What goes to the launcher. */
    readonly item: ILauncher.IItemOptions;
    /**
     * What the card shows beyond its item (a state its label and icon
     * follow): a new version adds the card again.
     */
    readonly version?: string;
  }

  /**
   * Options of the cards.
   */
  export interface IOptions<M> {
    /** The model the cards follow. */
    model: M;
    /** The launcher the cards go to. */
    launcher: ILauncherLike;
    /** The cards the model calls for now (keys unique; a later one wins). */
    cards: (model: M) => Iterable<ICard>;
  }
}

namespace Private {
  /**
   * Whether a card is the one added (same item, same version).
   */
  export function same(a: ModelCards.ICard, b: ModelCards.ICard): boolean {
    return (
      a.version === b.version &&
      JSONExt.deepEqual(
        a.item as unknown as ReadonlyPartialJSONObject,
        b.item as unknown as ReadonlyPartialJSONObject
      )
    );
  }
}
