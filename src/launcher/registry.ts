import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  IFrame,
  MainAreaWidget,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon, linkIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { JSONExt, ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ModelCards } from '../common/modelcards';
import type { IHubGroups } from '../tokens';
import type { WaitingItems } from './restart';

import { allRules, IItemSettings, readLauncherSettingsInSlices } from './items';
import { HubGroupsLauncherModel, OPEN_ITEM_COMMAND } from './model';
import { expandUrl, IUrlContext } from './url';

/**
 * Our own launcher items, described in the settings: their cards in the
 * launcher model, and what the item command shows and opens.
 *
 * #### Notes
 * The launcher renders every card in one React tree, where a throw empties
 * it: `label`, `caption` and `icon` never throw, whatever the args.
 */
export class LauncherItems implements IDisposable {
  /**
   * @param options - The model, the application, and the page's values.
   */
  constructor(options: LauncherItems.IOptions) {
    this._model = options.model;
    this._commands = options.commands;
    this._shell = options.shell;
    this._trans = options.trans;
    this._urlContext = options.urlContext;
    // Items of groups joined since the server started may wait for a
    // restart (what reads which, `restart.ts`, loads when there are any).
    const follow = () => {
      if (options.groups.joinedSinceStart.length) {
        this._restart ??= import('./restart').then(({ waitingItems }) => {
          this._waiting = waitingItems(options);
          this._changed.emit();
        });
      }
    };
    options.groups.changed.connect(follow, this); // until disposed
    follow();
    // One card per item; an item whose settings changed is added again.
    this._cards = new ModelCards<LauncherItems>({
      model: this,
      launcher: this._model,
      cards: () =>
        [...this._items.values()].map(item => ({
          key: item.id,
          item: {
            command: OPEN_ITEM_COMMAND,
            args: { id: item.id },
            category: item.category ?? this._trans.__('Other'),
            rank: item.rank
          },
          version: JSON.stringify(item) + this._waiting?.(item)?.label
        }))
    });
  }

  /**
   * Emitted when the items change (their cards follow).
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Whether the items are disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * The label of the item command.
   *
   * @param args - The command's args, `{ id }`.
   */
  label(args: ReadonlyPartialJSONObject): string {
    const fallback = this._trans.__('Launcher item');
    return Private.safely(() => {
      const item = this._itemOf(args);
      return item ? (this._waiting?.(item)?.label ?? item.label) : fallback;
    }, fallback);
  }

  /**
   * The caption of the item command.
   *
   * @param args - The command's args, `{ id }`.
   */
  caption(args: ReadonlyPartialJSONObject): string {
    return Private.safely(() => this._itemOf(args)?.caption ?? '', '');
  }

  /**
   * The icon of the item command.
   *
   * @param args - The command's args, `{ id }`.
   */
  icon(args: ReadonlyPartialJSONObject): LabIcon {
    return Private.safely(
      () =>
        (typeof args.id === 'string' && this._icons.get(args.id)) || linkIcon,
      linkIcon
    );
  }

  /**
   * Open an item: run its command, or open its URL in a tab or a window.
   *
   * @param args - The command's args, `{ id }`.
   * @returns What the item's command returned, or the tab opened.
   *
   * #### Notes
   * A URL is checked when the settings are read, and again here: the
   * page's values (the user name) may have changed since. A refusal is
   * shown to the user.
   */
  async open(args: ReadonlyPartialJSONObject): Promise<unknown> {
    const item = this._itemOf(args);
    if (!item) {
      return;
    }
    const waiting = this._waiting?.(item);
    if (waiting) {
      return waiting.open();
    }
    try {
      if (item.command) {
        return await this._commands.execute(item.command, item.args ?? {});
      }
      const url = expandUrl(
        item.url!,
        this._urlContext(),
        window.location.href,
        this._trans
      );
      if (item.target === 'window') {
        window.open(url, '_blank', 'noopener');
        return;
      }
      const frame = new IFrame({
        sandbox: [
          'allow-scripts',
          'allow-same-origin',
          'allow-forms',
          'allow-downloads',
          'allow-popups'
        ]
      });
      frame.url = url;
      frame.addClass('jp-HubGroupsFrame');
      // The theme's page colour behind a page that sets none (inline: no
      // style sheet of ours loads for this one rule).
      frame.node.style.background = 'var(--jp-layout-color0)';
      const widget = new MainAreaWidget({ content: frame });
      widget.id = `hub-groups-item-${Private.nextId()}`;
      widget.title.label = item.label;
      widget.title.caption = item.caption ?? url;
      widget.title.icon = this._icons.get(item.id) ?? linkIcon;
      widget.title.closable = true;
      this._shell.add(widget, 'main');
      return widget;
    } catch (reason) {
      console.error(`jupyterlab-hub-groups: item "${item.id}"`, reason);
      void showErrorMessage(
        this._trans.__('Cannot open "%1"', item.label),
        (reason as Error).message ?? String(reason)
      );
    }
  }

  /**
   * Take in the launcher settings: the items, their cards and icons, and
   * the rules. Items left out are named in a notification.
   *
   * @param composite - The launcher settings' composite value.
   * @returns Resolves once the settings are applied (or replaced by newer
   *   ones).
   *
   * #### Notes
   * Items are read in slices that yield to the browser (hundreds of items
   * must not make one long task); settings that change meanwhile win.
   * The same settings again change nothing (on a shared server, a change
   * of the user settings, which are not used there, gives the same ones).
   */
  async update(composite: ReadonlyPartialJSONObject): Promise<void> {
    if (
      this._isDisposed ||
      (this._requested && JSONExt.deepEqual(this._requested, composite))
    ) {
      return;
    }
    this._requested = composite;
    const generation = ++this._generation;
    const trans = this._trans;
    const { settings, icons, problems } = await readLauncherSettingsInSlices(
      composite,
      this._urlContext(),
      window.location.href
    );
    if (this._isDisposed || generation !== this._generation) {
      return;
    }
    for (const problem of problems) {
      console.warn(
        `jupyterlab-hub-groups launcher settings: "${problem.subject}" left out: ${problem.message}`
      );
    }
    this._dismiss();
    if (problems.length) {
      // Not a dialog: the launcher works, without these items.
      this._notification = Notification.warning(
        trans._n(
          'Launcher item left out (see the browser console): %2',
          '%1 launcher items left out (see the browser console): %2',
          problems.length,
          problems.map(problem => problem.subject).join(', ')
        ),
        { autoClose: 10_000 }
      );
    }
    this._items = new Map(settings.items.map(item => [item.id, item]));
    // Items removed from the settings lose their icon too.
    this._icons = icons;
    this._model.rules = allRules(settings);
    this._model.setItemGroups(
      new Map(settings.items.map(item => [item.id, item.groups ?? []]))
    );
    this._changed.emit();
  }

  /**
   * Remove the cards and the notification. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._cards.dispose();
    this._dismiss();
    this._items.clear();
    Signal.clearData(this);
  }

  private _itemOf(args: ReadonlyPartialJSONObject): IItemSettings | undefined {
    return typeof args.id === 'string' ? this._items.get(args.id) : undefined;
  }

  private _dismiss(): void {
    if (this._notification !== null) {
      Notification.dismiss(this._notification);
      this._notification = null;
    }
  }

  private _model: HubGroupsLauncherModel;
  private _commands: CommandRegistry;
  private _shell: JupyterFrontEnd.IShell;
  private _trans: TranslationBundle;
  private _urlContext: () => IUrlContext;
  private _waiting: WaitingItems | null = null;
  private _restart: Promise<void> | null = null;
  private _items = new Map<string, IItemSettings>();
  private _icons = new Map<string, LabIcon>();
  private _cards: ModelCards<LauncherItems>;
  private _changed = new Signal<this, void>(this);
  private _notification: string | null = null;
  private _generation = 0;
  private _requested: ReadonlyPartialJSONObject | null = null;
  private _isDisposed = false;
}

/**
 * A namespace for LauncherItems statics.
 */
export namespace LauncherItems {
  /**
   * Options to create the items.
   */
  export interface IOptions {
    /** The launcher model the cards go to. */
    model: HubGroupsLauncherModel;
    /** The command registry, to run an item's command. */
    commands: CommandRegistry;
    /** The application shell, where URLs open in a tab. */
    shell: JupyterFrontEnd.IShell;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The page's values for URL templates, as they are now. */
    urlContext: () => IUrlContext;
    /** The groups service (the groups of now, and those joined since the start). */
    groups: IHubGroups;
  }
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for an item's tab.
   */
  export function nextId(): number {
    return lastId++;
  }

  /**
   * The value of a callback, or a fallback if it throws.
   */
  export function safely<T>(callback: () => T, fallback: T): T {
    try {
      return callback();
    } catch (reason) {
      console.warn('jupyterlab-hub-groups: a launcher item', reason);
      return fallback;
    }
  }
}
