import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { addIcon, LabIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { addCardCommand, ICardCommand } from '../common/cardcommand';
import { onSomeoneElsesServer } from '../common/page';
import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';
import { LauncherCreator } from './create';
import { HubGroupsLauncherModel, OPEN_ITEM_COMMAND } from './model';
import type { LauncherItems } from './registry';
import { holdsAnything, launcherSettingsOf } from './settings';
import type { IUrlContext } from './url';

/**
 * Command IDs of the launcher: the core launcher's, kept as they are, and
 * the one our own items run.
 */
namespace CommandIDs {
  export const create = 'launcher:create';
  export const openItem = OPEN_ITEM_COMMAND;
}

/**
 * The launcher, filtered by hub groups. Replaces the core launcher plugin
 * (`@jupyterlab/launcher-extension:plugin`, disabled in our package.json)
 * and keeps what users know from it: `launcher:create` with its menu entry,
 * shortcut and palette item, the "+" button of the main area, and a
 * launcher whenever the main area is empty (also after a reload).
 */
export const launcherPlugin: JupyterFrontEndPlugin<ILauncher> = {
  id: 'jupyterlab-hub-groups:launcher',
  description:
    'Provides the launcher, showing each card only to the hub groups allowed to see it.',
  autoStart: true,
  provides: ILauncher,
  requires: [IHubGroups, ITranslator],
  optional: [ILabShell, ICommandPalette, IDefaultFileBrowser, ISettingRegistry],
  activate
};

/**
 * Create the launcher model, the core launcher's command and behaviour,
 * and our own items from the settings.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  translator: ITranslator,
  labShell: ILabShell | null,
  palette: ICommandPalette | null,
  defaultBrowser: IDefaultFileBrowser | null,
  settingRegistry: ISettingRegistry | null
): ILauncher {
  const { commands, shell } = app;
  const trans = translator.load('jupyterlab_hub_groups');
  const coreTrans = translator.load('jupyterlab');
  const model = new HubGroupsLauncherModel(groups);

  // The core launcher's command and behaviour.
  const creator = new LauncherCreator({
    shell,
    commands,
    model,
    translator,
    labShell,
    defaultBrowser
  });
  commands.addCommand(CommandIDs.create, {
    label: coreTrans.__('New Launcher'),
    icon: args => (args.toolbar ? addIcon : undefined),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          cwd: { type: 'string' },
          toolbar: { type: 'boolean' },
          activate: { type: 'boolean' },
          ref: { type: 'string' }
        }
      }
    },
    execute: args => creator.create(args)
  });
  creator.followShell(CommandIDs.create, app.restored);
  palette?.addItem({
    command: CommandIDs.create,
    category: coreTrans.__('Launcher')
  });

  // Our own items and rules: on someone else's server (a collaboration
  // account's), only the deployment's, and none leading into another
  // server. What reads them is loaded once the settings hold any.
  const sharedServer = onSomeoneElsesServer();
  const items = new Private.LazyItems(() => ({
    model,
    commands,
    shell,
    trans,
    urlContext: () => Private.urlContext(app, groups, sharedServer),
    groups
  }));
  addCardCommand(commands, CommandIDs.openItem, items, {
    name: 'id',
    description: trans.__('The id of an item in the launcher settings')
  });
  followSettings(
    settingRegistry,
    launcherPlugin.id,
    settings => items.update(launcherSettingsOf(settings, sharedServer)),
    app.restored
  );
  return model;
}

namespace Private {
  /**
   * Our own launcher items, loaded (`registry.ts` and what reads items:
   * sanitizing SVG, checking URLs) once the settings hold an item, a rule
   * or a kernel's groups; until then, no card runs the item command.
   */
  export class LazyItems implements ICardCommand {
    constructor(private _options: () => LauncherItems.IOptions) {}

    label(args: ReadonlyPartialJSONObject): string {
      return this._items?.label(args) ?? '';
    }

    caption(args: ReadonlyPartialJSONObject): string {
      return this._items?.caption(args) ?? '';
    }

    icon(args: ReadonlyPartialJSONObject): LabIcon | undefined {
      return this._items?.icon(args);
    }

    open(args: ReadonlyPartialJSONObject): Promise<unknown> {
      return this._items?.open(args) ?? Promise.resolve();
    }

    /**
     * Take in the settings; the newest win while the module loads.
     */
    update(composite: ReadonlyPartialJSONObject): void {
      if (this._items) {
        void this._items.update(composite);
        return;
      }
      if (!this._loading && !holdsAnything(composite)) {
        return; // the core launcher: nothing of ours to read
      }
      this._latest = composite;
      this._loading ??= import('./registry')
        .then(({ LauncherItems }) => {
          this._items = new LauncherItems(this._options());
          void this._items.update(this._latest!);
        })
        .catch(reason => {
          console.error('jupyterlab-hub-groups: launcher items', reason);
        });
    }

    private _items: LauncherItems | null = null;
    private _loading: Promise<void> | null = null;
    private _latest: ReadonlyPartialJSONObject | null = null;
  }

  /**
   * The page's values for URL templates, as they are now.
   */
  export function urlContext(
    app: JupyterFrontEnd,
    groups: IHubGroups,
    sharedServer: boolean
  ): IUrlContext {
    return {
      // The path only: templates put it after the page's own origin.
      baseUrl: PageConfig.getBaseUrl().replace(/^[a-z]+:\/\/[^/]+/i, ''),
      hubPrefix: PageConfig.getOption('hubPrefix'),
      hubHost: PageConfig.getOption('hubHost'),
      user:
        groups.user?.name ||
        PageConfig.getOption('hubUser') ||
        app.serviceManager.user.identity?.username ||
        '',
      serverUser: PageConfig.getOption('hubServerUser'),
      sharedServer
    };
  }
}
