import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';
import { HubGroupsModel } from './model';

/**
 * Command IDs of the groups service.
 */
namespace CommandIDs {
  export const show = 'hub-groups:show-groups';
  export const refresh = 'hub-groups:refresh-groups';
}

/**
 * The groups service: who the browser user is for JupyterHub, and which
 * groups they hold.
 */
export const groupsPlugin: JupyterFrontEndPlugin<IHubGroups> = {
  id: 'jupyterlab-hub-groups:groups',
  description:
    "Provides the browser user's JupyterHub identity and groups (IHubGroups).",
  autoStart: true,
  provides: IHubGroups,
  optional: [ISettingRegistry, ICommandPalette, ITranslator],
  activate
};

/**
 * Create the groups service, start it in the background, and add its
 * commands.
 */
function activate(
  app: JupyterFrontEnd,
  settingRegistry: ISettingRegistry | null,
  palette: ICommandPalette | null,
  translator: ITranslator | null
): IHubGroups {
  const trans = (translator ?? nullTranslator).load('jupyterlab_hub_groups');
  const hubPrefix = PageConfig.getOption('hubPrefix');
  const model = new HubGroupsModel({
    serverSettings: app.serviceManager.serverSettings,
    hub: hubPrefix
      ? {
          prefix: hubPrefix,
          host: PageConfig.getOption('hubHost'),
          token: PageConfig.getToken(),
          serverUser: PageConfig.getOption('hubServerUser')
        }
      : null
  });
  // Fetches in the background: nothing here waits for the network.
  model.start();

  followSettings(settingRegistry, groupsPlugin.id, settings =>
    model.configure({
      refreshInterval: settings.get('refreshInterval').composite as number,
      gracePeriod: settings.get('gracePeriod').composite as number
    })
  );

  app.commands.addCommand(CommandIDs.show, {
    label: trans.__('Show My Hub Groups'),
    caption: trans.__(
      'Show your JupyterHub user, groups and when they were last refreshed'
    ),
    describedBy: { args: { type: 'object', properties: {} } },
    // The report and its dialog are loaded when first shown: not needed
    // at the start of any page.
    execute: async () => (await import('./report')).showReport(model, trans)
  });
  app.commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh Hub Groups'),
    caption: trans.__('Ask JupyterHub again which groups you are in'),
    describedBy: { args: { type: 'object', properties: {} } },
    isEnabled: () => model.status !== 'absent',
    execute: () => model.refresh()
  });
  if (palette) {
    const category = trans.__('Hub Groups');
    palette.addItem({ command: CommandIDs.show, category });
    palette.addItem({ command: CommandIDs.refresh, category });
  }
  return model;
}
