import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { addCardCommand } from '../common/cardcommand';
import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { seedWith } from '../common/startup';
import { whenHolds } from '../common/when';
import { IHubGroups } from '../tokens';
import { CollaborationCards } from './cards';
import {
  collaborationUrl,
  CollaborationsModel,
  readCollaborations
} from './model';

/**
 * The collaboration cards' working part, loaded by the plugin when the
 * user may have a project: the model of the projects' shared servers,
 * kept fresh, and their cards and command once there is one.
 *
 * @param options - What the plugin has, and the start-up answer's part.
 * @returns The model (for tests).
 */
export function startCollaborations(
  options: IStartOptions
): CollaborationsModel {
  const { app, groups, trans, hubPrefix } = options;
  const model = new CollaborationsModel({
    serverSettings: app.serviceManager.serverSettings,
    auto: false
  });
  // The start-up answer's list, when it carried one: the first request
  // comes an interval later.
  seedWith(model, options.body, readCollaborations, 'collaborations');
  model.start();

  whenHolds(
    model.changed,
    () => model.collaborations.length > 0,
    () => {
      const cards = new CollaborationCards({
        model,
        launcher: options.launcher,
        command: OPEN_COMMAND,
        trans,
        url: account =>
          collaborationUrl(PageConfig.getOption('hubHost'), hubPrefix, account)
      });
      addCardCommand(app.commands, OPEN_COMMAND, cards, {
        name: 'account',
        description: trans.__('The collaboration account')
      });
    }
  );

  // Joining or leaving a project shows at the next groups refresh.
  onGroupsChanged(groups, () => {
    if (model.active) {
      void model.refresh();
    }
  });

  followSettings(options.settingRegistry, options.pluginId, settings => {
    model.interval = settings.get('interval').composite as number;
  });
  return model;
}

/**
 * The command behind a collaboration card; args `{ account }`.
 */
export const OPEN_COMMAND = 'hub-groups:open-collaboration';

/**
 * What {@link startCollaborations} needs.
 */
export interface IStartOptions {
  /** The application. */
  app: JupyterFrontEnd;
  /** The groups service. */
  groups: IHubGroups;
  /** The launcher the cards go to. */
  launcher: ILauncher;
  /** The translation bundle of this package. */
  trans: TranslationBundle;
  /** The settings registry, or null. */
  settingRegistry: ISettingRegistry | null;
  /** The plugin's id (its settings). */
  pluginId: string;
  /** The hub's prefix, e.g. `/hub/`. */
  hubPrefix: string;
  /** The start-up answer's `collaborations`, or null: read at once. */
  body: unknown | null;
}
