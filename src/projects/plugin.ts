import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

import { onSomeoneElsesServer } from '../common/page';
import { afterStartup } from '../common/startup';
import { IHubGroups } from '../tokens';

/**
 * Projects made in JupyterLab and sharing one's server (issue 20), through
 * the hub-groups service: "Share My Server…" (a command, also in the File
 * menu through the settings), and, where the service keeps projects,
 * their cards in the Collaboration section, "New Project…" and each
 * project's members panel.
 *
 * #### Notes
 * Only this file is on every page's start; the rest is loaded with
 * `import()` (`start.ts`): when "Share My Server…" runs, and when the
 * start-up answer says the service keeps projects (`projects_service`, or
 * `project_access: shares`); `start.ts` then asks the service only when
 * the user may be in a project (`service_projects`) or their groups
 * change. Nothing on someone else's server (a collaboration
 * account's). No `description`, and the launcher and the settings
 * registry are asked for by `start.ts` (`resolveOptionalService`): their
 * bytes would be on every page's start.
 */
// eslint-disable-next-line jupyter/plugin-description -- its bytes would be on every page's start
export const projectsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hub-groups:projects',
  autoStart: true,
  requires: [IHubGroups, ITranslator],
  // The launcher and the settings are asked for by `start.ts`.
  optional: [ICommandPalette],
  activate
};

/**
 * Add "Share My Server…"; load the projects' part when it may show
 * something.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  translator: ITranslator,
  palette: ICommandPalette | null
): void {
  if (onSomeoneElsesServer()) {
    return; // outside a hub: no service, no start-up answer, nothing here
  }
  const trans = translator.load('jupyterlab_hub_groups');
  // The rest, with the share dialog, in one chunk loaded when needed
  // (unnamed: a name would be more bytes in every page's remoteEntry).
  const load = () => import('./start');
  const share = 'hub-groups:share-server';
  // The service shares servers where it keeps projects (its API and the
  // page token's scope to share one's own server come with them).
  let sharing = false;
  // eslint-disable-next-line jupyter/command-described-by -- no args; its bytes would be on every page's start
  app.commands.addCommand(share, {
    label: trans.__('Share My Server…'),
    isVisible: () => sharing,
    execute: async () => (await load()).shareServer(groups.groups, trans)
  });
  palette?.addItem({ command: share, category: trans.__('Hub Groups') });

  void afterStartup(app, groups).then(startup => {
    // The start-up answer's own fields, as the server sent them.
    const answer: any = startup?.projects;
    if (answer?.projects_service || answer?.project_access === 'shares') {
      sharing = true;
      void load().then(m =>
        m.startProjects({ app, groups, palette, trans, answer })
      );
    }
  });
}
