import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';
import { CollaborationCards } from './cards';
import { collaborationUrls, CollaborationsModel } from './model';

/**
 * Command IDs of the collaboration cards.
 */
namespace CommandIDs {
  /** The command behind a collaboration card; args `{ account }`. */
  export const open = 'hub-groups:open-collaboration';
}

/**
 * Collaboration cards: in the launcher, one card per project of the user,
 * to open, start or stop the project's shared server.
 */
export const collaborationPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hub-groups:collaboration',
  description:
    "Adds a launcher card per project of the user, to open, start and stop the project's shared server.",
  autoStart: true,
  requires: [IHubGroups, ILauncher, ITranslator],
  optional: [ISettingRegistry],
  activate
};

/**
 * Create the collaborations model and its cards, outside a hub nothing.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  launcher: ILauncher,
  translator: ITranslator,
  settingRegistry: ISettingRegistry | null
): void {
  const hubPrefix = PageConfig.getOption('hubPrefix');
  if (!hubPrefix) {
    return; // no hub, no shared servers
  }
  const trans = translator.load('jupyterlab_hub_groups');
  const model = new CollaborationsModel({
    serverSettings: app.serviceManager.serverSettings,
    auto: false
  });
  // Not needed to draw JupyterLab: first request once it is restored.
  void app.restored.then(() => model.start());

  const cards = new CollaborationCards({
    model,
    launcher,
    command: CommandIDs.open,
    trans,
    urls: account =>
      collaborationUrls(PageConfig.getOption('hubHost'), hubPrefix, account)
  });
  app.commands.addCommand(CommandIDs.open, {
    label: args => cards.label(args),
    caption: args => cards.caption(args),
    icon: args => cards.icon(args),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          account: {
            type: 'string',
            description: trans.__('The collaboration account')
          }
        },
        required: ['account']
      }
    },
    execute: args => cards.open(args)
  });

  // Joining or leaving a project shows at the next groups refresh (the
  // first answer of the groups service is no change: the poll covers it).
  onGroupsChanged(groups, () => {
    void model.refresh().catch(() => undefined);
  });

  followSettings(settingRegistry, collaborationPlugin.id, settings => {
    model.interval = settings.get('interval').composite as number;
  });
}
