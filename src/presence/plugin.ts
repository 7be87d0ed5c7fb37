import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IGlobalAwareness } from '@jupyter/collaborative-drive';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';

import { followSettings } from '../common/settings';
import { IAwarenessLike, PresenceModel } from './model';
import { PeopleHerePlacement } from './placement';
import { PeopleHereCount } from './widgets';

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
  optional: [ILabShell, IStatusBar, ISettingRegistry, IGlobalAwareness],
  activate
};

/**
 * Create the presence model, its panel and status item, and follow the
 * current document.
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
  awareness: IAwarenessLike | null
): void {
  const trans = translator.load('jupyterlab_hub_groups');
  const model = new PresenceModel({
    serverSettings: app.serviceManager.serverSettings,
    currentPath: () => Private.currentPath(app),
    auto: false
  });
  // With jupyter-collaboration: its awareness, no second websocket.
  model.awareness = awareness;

  // Where the list goes depends on jupyter-collaboration's panel, which is
  // in the shell once the app is restored; nothing is needed to draw
  // JupyterLab, so the first request waits for that too.
  let placement: PeopleHerePlacement | null = null;
  void app.restored.then(() => {
    placement = new PeopleHerePlacement({ model, shell: app.shell, trans });
    model.start();
  });

  if (statusBar) {
    const count = new PeopleHereCount(model, trans);
    count.node.addEventListener('click', () => placement?.reveal());
    statusBar.registerStatusItem(presencePlugin.id, {
      item: count,
      align: 'left',
      rank: 10,
      isActive: () => model.state === 'allowed' && model.worthShowing,
      activeStateChanged: model.changed
    });
  }
  // Tell the others promptly when this user opens another document.
  let lastPath: string | null = null;
  labShell?.currentChanged.connect(() => {
    const path = Private.currentPath(app);
    if (path !== lastPath) {
      lastPath = path;
      void model.refresh().catch(() => undefined);
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
}
