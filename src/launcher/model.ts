import { ILauncher, LauncherModel } from '@jupyterlab/launcher';
import {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';

import { IHubGroups } from '../tokens';

/**
 * The command our own launcher items run, with `{ id }` as args.
 */
export const OPEN_ITEM_COMMAND = 'hub-groups:open-item';

/**
 * A rule hiding cards that other extensions add (`rules`).
 */
export interface IRuleSettings {
  /** The card's command, e.g. `notebook:create-new`; `*` for any. */
  command: string;
  /** Args the card must have (a subset), e.g. `{ "kernelName": "r" }`. */
  args?: ReadonlyPartialJSONObject;
  /** Members of any of these groups see the card; nobody else does. */
  groups: string[];
  /** Set by the `kernels` shorthand: any card of this kernel. */
  kernel?: string;
}

/**
 * Whether a rule applies to a launcher card.
 *
 * @param rule - The rule.
 * @param item - The card.
 * @returns True if the command matches and every arg of the rule has the
 *   same value in the card's args.
 */
export function ruleMatches(
  rule: IRuleSettings,
  item: ILauncher.IItemOptions
): boolean {
  if (rule.command !== '*' && rule.command !== item.command) {
    return false;
  }
  const args = (item.args ?? {}) as ReadonlyJSONObject;
  if (rule.kernel !== undefined && Private.kernelOf(args) !== rule.kernel) {
    return false;
  }
  return Object.entries(rule.args ?? {}).every(
    ([key, value]) => JSON.stringify(args[key]) === JSON.stringify(value)
  );
}

/**
 * A launcher model that shows each card only to those allowed to see it.
 *
 * #### Notes
 * JupyterLab has no API to hide cards that other extensions add, so this
 * model replaces the core one (see the launcher plugin). Cards stay in the
 * model; `items()` filters them, and `stateChanged` re-renders every open
 * launcher when the groups or the rules change.
 */
export class HubGroupsLauncherModel extends LauncherModel {
  /**
   * @param groups - The groups service.
   */
  constructor(private readonly _groups: IHubGroups) {
    super();
    this._groups.changed.connect(this._refresh, this);
  }

  /**
   * The rules for cards of other extensions.
   */
  get rules(): readonly IRuleSettings[] {
    return this._rules;
  }
  set rules(rules: readonly IRuleSettings[]) {
    this._rules = rules;
    this._refresh();
  }

  /**
   * Our own items' groups, by item id.
   */
  setItemGroups(groups: Map<string, string[]>): void {
    this._itemGroups = groups;
    this._refresh();
  }

  /**
   * The cards this user may see.
   */
  *items(): IterableIterator<ILauncher.IItemOptions> {
    for (const item of super.items()) {
      if (this.isVisible(item)) {
        yield item;
      }
    }
  }

  /**
   * Whether this user may see a card.
   *
   * @param item - A card, ours or another extension's.
   * @returns False for a gated card while the groups are unknown.
   */
  isVisible(item: ILauncher.IItemOptions): boolean {
    if (item.command === OPEN_ITEM_COMMAND) {
      const groups = this._itemGroups.get(String(item.args?.id));
      if (!groups || !this._allowed(groups)) {
        return false;
      }
    }
    return this._rules.every(
      rule => !ruleMatches(rule, item) || this._allowed(rule.groups)
    );
  }

  /**
   * Stop following the groups service.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._groups.changed.disconnect(this._refresh, this);
    super.dispose();
  }

  private _allowed(groups: readonly string[]): boolean {
    if (groups.length === 0) {
      // Everyone logged in: known users, and plain `jupyter lab`.
      return this._groups.status === 'absent' || this._groups.isMemberOfAny([]);
    }
    return this._groups.isMemberOfAny(groups);
  }

  private _refresh(): void {
    this.stateChanged.emit(void 0);
  }

  private _rules: readonly IRuleSettings[] = [];
  private _itemGroups = new Map<string, string[]>();
}

namespace Private {
  /**
   * The kernel a card starts: notebook cards say `kernelName`, console cards
   * `kernelPreference.name`.
   */
  export function kernelOf(args: ReadonlyJSONObject): string | undefined {
    if (typeof args.kernelName === 'string') {
      return args.kernelName;
    }
    const preference = args.kernelPreference as ReadonlyJSONObject | undefined;
    return typeof preference?.name === 'string' ? preference.name : undefined;
  }
}
