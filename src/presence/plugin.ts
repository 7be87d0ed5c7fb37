import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IGlobalAwareness } from '@jupyter/collaborative-drive';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { followSettings } from '../common/settings';
import { startSeeded } from '../common/startup';
import { whenHolds } from '../common/when';
import { IHubGroups } from '../tokens';
import { IAwarenessLike, PresenceModel, readPresence } from './model';

/**
 * "People here": who is using this server, by hub identity, as a list and
 * as a count in the status bar, shown only to those the server answers
 * (the owner and members of the server's groups; everyone else gets 403 and
 * sees nothing). Works with or without jupyter-collaboration; with it, the
 * list is a section of its "Collaboration" panel (one place to look) and
 * its awareness completes the list at once (no second websocket).
 */
export const presencePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hub-groups:presence',
  description:
    'Shows who is using this server, by hub identity, to members of its groups.',
  autoStart: true,
  requires: [ITranslator],
  optional: [
    ILabShell,
    IStatusBar,
    ISettingRegistry,
    IGlobalAwareness,
    IHubGroups
  ],
  activate
};

/**
 * Create the presence model, and follow the current document; the list
 * and the count come once there is something to show.
 *
 * #### Notes
 * IGlobalAwareness is a y-protocols Awareness; we use this much of it
 * (IAwarenessLike), so the argument's type is not the token's name.
 */
function activate(
  app: JupyterFrontEnd,
  translator: ITranslator,
  labShell: ILabShell | null,
  statusBar: IStatusBar | null,
  settingRegistry: ISettingRegistry | null,
  awareness: IAwarenessLike | null,
  groups: IHubGroups | null
): void {
  const trans = translator.load('jupyterlab_hub_groups');
  const model = new PresenceModel({
    serverSettings: app.serviceManager.serverSettings,
    currentPath: () => Private.currentPath(app),
    auto: false
  });
  // With jupyter-collaboration: its awareness, no second websocket.
  model.awareness = awareness;

  // Nothing is needed to draw JupyterLab: the first read waits for it to
  // be restored, and for the start-up answer of `me`, which may carry the
  // list (then the first request comes an interval later).
  startSeeded(app, groups, model, 'presence', readPresence);

  // The list and the count: loaded and placed once there is something to
  // show (most pages never have: a personal server alone).
  whenHolds(
    model.changed,
    () => model.worthShowing,
    () => void Private.show(app, model, trans, statusBar)
  );

  // Tell the others promptly when this user opens another document.
  let lastPath: string | null = null;
  labShell?.currentChanged.connect(() => {
    const path = Private.currentPath(app);
    if (path !== lastPath && model.active) {
      lastPath = path;
      void model.readAgain();
    }
  });

  followSettings(settingRegistry, presencePlugin.id, settings => {
    model.interval = settings.get('interval').composite as number;
  });
}

namespace Private {
  /**
   * The path of the document in the main area's current widget, if any.
   */
  export function currentPath(app: JupyterFrontEnd): string | null {
    const widget = app.shell.currentWidget as any;
    const path = widget?.context?.path;
    return typeof path === 'string' ? path : null;
  }

  /**
   * Load the list and the count, place the list, add the count.
   */
  export async function show(
    app: JupyterFrontEnd,
    model: PresenceModel,
    trans: TranslationBundle,
    statusBar: IStatusBar | null
  ): Promise<void> {
    const [{ PeopleHerePlacement }, { PeopleHereCount }] = await Promise.all([
      import('./placement'),
      import('./widgets')
    ]);
    if (model.isDisposed) {
      return;
    }
    const placement = new PeopleHerePlacement({
      model,
      shell: app.shell,
      trans
    });
    if (statusBar) {
      const count = new PeopleHereCount(model, trans);
      count.node.addEventListener('click', () => placement.reveal());
      statusBar.registerStatusItem(presencePlugin.id, {
        item: count,
        align: 'left',
        rank: 10,
        isActive: () => model.status === 'ready' && model.worthShowing,
        activeStateChanged: model.changed
      });
    }
  }
}
