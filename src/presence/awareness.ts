import { IDisposable } from '@lumino/disposable';

import type { IAwarenessLike, IPerson, IPresence } from './model';

/**
 * Who jupyter-collaboration's awareness says is here, beside the server's
 * list: it knows at once who joined, and which document each has open.
 * Loaded with the first awareness (only collaboration servers have one).
 */
export class AwarenessPeople implements IDisposable {
  /**
   * Follow an awareness for a presence model.
   *
   * @param awareness - The awareness of the server's documents.
   * @param model - The model (its value and its people).
   * @param changed - Says the model's people changed.
   */
  constructor(
    awareness: IAwarenessLike,
    model: { readonly value: IPresence | null; readonly people: unknown },
    changed: () => void
  ) {
    this._awareness = awareness;
    this._model = model;
    this._changed = changed;
    awareness.on('change', this._onChange);
  }

  /**
   * Whether it is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Everyone here, sorted by name: the server's list completed by the
   * awareness.
   *
   * @param listed - The server's list.
   */
  people(listed: readonly IPerson[]): IPerson[] {
    const awareness = this._awareness;
    const byName = new Map(listed.map(p => [p.name, { ...p }]));
    for (const [clientID, state] of awareness.getStates()) {
      const user = state?.user;
      if (
        clientID === awareness.clientID ||
        typeof user?.username !== 'string'
      ) {
        continue;
      }
      const current =
        typeof state.current === 'string'
          ? state.current.replace(/^[^:]*:(RTC:)?/, '') || null
          : null;
      const known = byName.get(user.username);
      if (known) {
        known.current = current ?? known.current;
      } else {
        byName.set(user.username, {
          name: user.username,
          displayName: String(user.display_name || user.name || user.username),
          current,
          lastSeen: new Date()
        });
      }
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Stop following the awareness. Idempotent.
   */
  dispose(): void {
    if (!this._isDisposed) {
      this._isDisposed = true;
      this._awareness.off('change', this._onChange);
    }
  }

  /**
   * Say so when the list changed (the awareness changed, or it is new).
   */
  check(): void {
    if (!this._model.value) {
      // Nothing shown yet, or ever: awareness changes often while
      // JupyterLab starts, and the first answer reads it anyway.
      return;
    }
    const key = JSON.stringify(this._model.people);
    if (key !== this._key) {
      this._key = key;
      this._changed();
    }
  }

  private _onChange = (): void => this.check();

  private _awareness: IAwarenessLike;
  private _model: {
    readonly value: IPresence | null;
    readonly people: unknown;
  };
  private _changed: () => void;
  private _key = '';
  private _isDisposed = false;
}
