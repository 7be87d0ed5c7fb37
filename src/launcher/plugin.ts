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
import { addIcon } from '@jupyterlab/ui-components';

import { addCardCommand } from '../common/modelcards';
import { onSomeoneElsesServer } from '../common/page';
import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';
import { LauncherCreator } from './create';
import { launcherSettingsOf } from './items';
import { HubGroupsLauncherModel, OPEN_ITEM_COMMAND } from './model';
import { LauncherItems } from './registry';
import { IUrlContext } from './url';

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

  // Our own items: on someone else's server (a collaboration account's),
  // only the deployment's, and none leading into another server.
  const sharedServer = onSomeoneElsesServer();
  const items = new LauncherItems({
    model,
    commands,
    shell,
    trans,
    urlContext: () => Private.urlContext(app, groups, sharedServer)
  });
  addCardCommand(commands, CommandIDs.openItem, items, {
    name: 'id',
    description: trans.__('The id of an item in the launcher settings')
  });
  followSettings(
    settingRegistry,
    launcherPlugin.id,
    settings => void items.update(launcherSettingsOf(settings, sharedServer)),
    app.restored
  );
  return model;
}

namespace Private {
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
