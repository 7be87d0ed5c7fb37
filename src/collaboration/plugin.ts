import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { onGroupsChanged } from '../common/groups';
import { afterStartup } from '../common/startup';
import { IHubGroups } from '../tokens';

/**
 * Collaboration cards: in the launcher, one card per project of the user,
 * to open, start or stop the project's shared server.
 *
 * #### Notes
 * Everything but this plugin (`start.ts`: the model, its polling, the
 * cards and their command) is loaded with `import()` when the user may
 * have a project: the start-up answer of `me` lists one, or could not
 * say, or the user's groups changed since. Most users have none, and
 * their pages load and ask nothing more.
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
 * Wait for the start-up answer, then load the cards' working part if the
 * user may have a project; outside a hub nothing.
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
  let loaded = false;
  const load = (body: unknown | null): void => {
    if (loaded) {
      return;
    }
    loaded = true;
    void import(
      /* webpackChunkName: "hub-groups-collaboration" */ './start'
    ).then(({ startCollaborations }) =>
      startCollaborations({
        app,
        groups,
        launcher,
        trans: translator.load('jupyterlab_hub_groups'),
        settingRegistry,
        pluginId: collaborationPlugin.id,
        hubPrefix,
        body
      })
    );
  };
  // Not needed to draw JupyterLab: nothing before it is restored and the
  // start-up answer of `me` is in.
  void afterStartup(app, groups).then(startup => {
    const body = startup?.collaborations ?? null;
    if (Private.noProject(body)) {
      // A project of one's own needs a group: wait for a new one.
      onGroupsChanged(groups, () => load(null));
    } else {
      load(body);
    }
  });
}

namespace Private {
  /**
   * Whether the start-up answer says the user has no project.
   */
  export function noProject(body: any): boolean {
    return (
      !!body &&
      Array.isArray(body.collaborations) &&
      body.collaborations.length === 0
    );
  }
}
