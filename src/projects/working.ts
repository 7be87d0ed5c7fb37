/**
 * The projects' model and what follows it, loaded by `start.ts` when the
 * user may be in a project, their groups change, or they make one: the
 * service's projects polled as a second source of collaboration cards,
 * and each project's members panel (its view loaded when opened).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { followSettings } from '../common/settings';
import { whenHolds } from '../common/when';
import { ProjectsClient } from './client';
import type { ProjectMembers } from './members';
import { ProjectsModel } from './model';

/**
 * The plugin whose settings (`interval`) the model follows.
 */
const PLUGIN_ID = 'jupyterlab-hub-groups:projects';

/**
 * Make the model (not started), its cards once there is a project, and the
 * members panel's command.
 *
 * @param options - The application's parts and the commands' ids.
 * @returns The model, or null without a client here (not one's own
 *   server's page).
 */
export function startModel(options: IWorkingOptions): ProjectsModel | null {
  const { app, launcher, trans, commandIds } = options;
  const client =
    options.client === undefined ? ProjectsClient.fromPage() : options.client;
  if (!client) {
    return null;
  }
  const model = new ProjectsModel({ client, auto: false });
  model.membersButton = {
    label: trans.__('Members…'),
    caption: trans.__("See and change the project's members")
  };
  void app.resolveOptionalService(ISettingRegistry).then(registry =>
    followSettings(registry, PLUGIN_ID, settings => {
      model.interval = settings.get('interval').composite as number;
    })
  );

  // The cards, once there is a project (with the collaboration cards'
  // chunk: `cards.ts`).
  whenHolds(
    model.changed,
    () => model.collaborations.length > 0,
    () =>
      void import(
        /* webpackChunkName: "hub-groups-collaboration" */ './cards'
      ).then(({ addProjectCards }) =>
        addProjectCards(app, model, launcher, commandIds.open, trans)
      )
  );

  const tracker = new WidgetTracker<MainAreaWidget<ProjectMembers>>({
    namespace: 'hub-groups-projects'
  });
  app.commands.addCommand(commandIds.members, {
    label: args =>
      args.project
        ? trans.__('Members of Project %1', String(args.project))
        : trans.__('Project Members'),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          project: { type: 'string', description: trans.__('The project') }
        },
        required: ['project']
      }
    },
    execute: async args => {
      const name = String(args.project ?? '');
      const open = tracker.find(w => w.content.name === name);
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const { membersPanel } = await import('./members');
      const panel = membersPanel(model, name, trans);
      void tracker.add(panel);
      app.shell.add(panel, 'main');
      app.shell.activateById(panel.id);
      void model.refresh();
    }
  });
  model.membersRequested.connect(
    (_, project) => void app.commands.execute(commandIds.members, { project })
  );
  return model;
}

/**
 * What {@link startModel} needs.
 */
export interface IWorkingOptions {
  /** The application. */
  app: JupyterFrontEnd;
  /** The launcher. */
  launcher: ILauncher;
  /** The service's client (default: this page's). */
  client?: ProjectsClient | null;
  /** The translation bundle of this package. */
  trans: TranslationBundle;
  /** The commands of a project's card and of its members panel. */
  commandIds: { open: string; members: string };
}
