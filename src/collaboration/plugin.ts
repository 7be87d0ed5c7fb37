import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { addCardCommand } from '../common/cardcommand';
import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { startSeeded } from '../common/startup';
import { whenHolds } from '../common/when';
import { IHubGroups } from '../tokens';
import {
  collaborationUrls,
  CollaborationsModel,
  readCollaborations
} from './model';

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
 *
 * #### Notes
 * The cards and their command (`cards.ts`, with the wording of their
 * states) are loaded with `import()` when the user first has a project:
 * most users have none, and their pages load only the model.
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
 * Create the collaborations model, and its cards once there is a
 * project; outside a hub nothing.
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
  // Not needed to draw JupyterLab: the first read once it is restored,
  // and not before the start-up answer of `me`, which may carry the
  // answer (then the first request comes an interval later).
  startSeeded(app, groups, model, 'collaborations', readCollaborations);

  whenHolds(
    model.changed,
    () => model.collaborations.length > 0,
    () => void Private.addCards(app, model, launcher, trans, hubPrefix)
  );

  // Joining or leaving a project shows at the next groups refresh (the
  // first answer of the groups service is no change: the poll covers it).
  onGroupsChanged(groups, () => {
    if (model.active) {
      void model.refresh();
    }
  });

  followSettings(settingRegistry, collaborationPlugin.id, settings => {
    model.interval = settings.get('interval').composite as number;
  });
}

namespace Private {
  /**
   * Load the cards and add them with their command.
   */
  export async function addCards(
    app: JupyterFrontEnd,
    model: CollaborationsModel,
    launcher: ILauncher,
    trans: TranslationBundle,
    hubPrefix: string
  ): Promise<void> {
    const { CollaborationCards } = await import('./cards');
    if (model.isDisposed) {
      return;
    }
    const cards = new CollaborationCards({
      model,
      launcher,
      command: CommandIDs.open,
      trans,
      urls: account =>
        collaborationUrls(PageConfig.getOption('hubHost'), hubPrefix, account)
    });
    addCardCommand(app.commands, CommandIDs.open, cards, {
      name: 'account',
      description: trans.__('The collaboration account')
    });
  }
}
