/**
 * The projects' working part, loaded by the plugin when the start-up
 * answer says the service keeps projects and the user may make one or be
 * in one (or their groups changed): the service's projects as a second
 * source of collaboration cards, "New Project…" (a card and a command),
 * and each project's members panel. ("Share My Server…" is loaded by the
 * plugin itself when run: `share.ts`.)
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';

import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { whenHolds } from '../common/when';
import { IHubGroups } from '../tokens';
import { ProjectsClient } from './client';
import { membersPanel, ProjectMembers } from './members';
import { ProjectsModel } from './model';
import { newProject } from './newproject';

import { sharesWithGroup } from './share';

export { shareServer } from './share';

/**
 * The plugin whose settings (`interval`) the model follows.
 */
const PLUGIN_ID = 'jupyterlab-hub-groups:projects';

/**
 * The commands of the projects.
 */
export namespace CommandIDs {
  /** "New Project…". */
  export const create = 'hub-groups:new-project';
  /** A project's card; args `{ account }`. */
  export const open = 'hub-groups:open-project';
  /** A project's members panel; args `{ project }`. */
  export const members = 'hub-groups:project-members';
}

/**
 * Start the projects: the model (polling when the user may be in one),
 * the cards once there is one, "New Project…" while the user may make one.
 * The launcher and the settings registry are the application's (asked
 * here, not by the plugin: its bytes are on every page's start).
 *
 * @param options - What the plugin has.
 * @returns The model (for tests), or null without a client here.
 */
export async function startProjects(
  options: IProjectsStart
): Promise<ProjectsModel | null> {
  const { app, groups, trans, answer } = options;
  const client = options.client ?? ProjectsClient.fromPage();
  const launcher = await app.resolveOptionalService(ILauncher);
  if (!client || !launcher) {
    return null;
  }
  const model = new ProjectsModel({ client, auto: false });
  model.membersButton = {
    label: trans.__('Members…'),
    caption: trans.__("See and change the project's members")
  };
  // Read at once when the user may be in a project (the start-up answer
  // says so, or cannot say); else when their groups change (being added
  // to a project adds its group), or once they make one. Also while one
  // shares one's server with a group: each read gives the group's
  // newcomers their share (the service may do so with this page's token
  // only).
  if (answer.service_projects !== false || sharesWithGroup()) {
    model.start();
  }
  onGroupsChanged(groups, () =>
    model.active ? void model.refresh() : model.start()
  );
  followSettings(
    await app.resolveOptionalService(ISettingRegistry),
    PLUGIN_ID,
    settings => {
      model.interval = settings.get('interval').composite as number;
    }
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
        addProjectCards(app, model, launcher, CommandIDs.open, trans)
      )
  );

  const tracker = new WidgetTracker<MainAreaWidget<ProjectMembers>>({
    namespace: 'hub-groups-projects'
  });
  app.commands.addCommand(CommandIDs.members, {
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
      const panel = membersPanel(model, name, trans);
      void tracker.add(panel);
      app.shell.add(panel, 'main');
      app.shell.activateById(panel.id);
      void model.refresh();
    }
  });
  model.membersRequested.connect(
    (_, project) => void app.commands.execute(CommandIDs.members, { project })
  );

  // Who may make projects: a group, null for everyone, undefined: nobody.
  const service = answer.projects_service;
  const allowed: string | null | undefined = service
    ? typeof service.allowed === 'string'
      ? service.allowed
      : null
    : undefined;
  const mayCreate = () =>
    allowed === null || (!!allowed && groups.isMemberOfAny([allowed]));
  app.commands.addCommand(CommandIDs.create, {
    label: trans.__('New Project…'),
    caption: trans.__(
      'Make a project: a shared server for you and the people you choose'
    ),
    icon: args => (args.isLauncher ? addIcon : undefined),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          isLauncher: {
            type: 'boolean',
            description: trans.__('Whether it is the launcher card')
          }
        }
      }
    },
    isVisible: mayCreate,
    execute: async () => {
      await newProject(model, trans, groups.user?.name);
    }
  });
  options.palette?.addItem({
    command: CommandIDs.create,
    category: trans.__('Hub Groups')
  });
  let card: IDisposable | null = null;
  const showCard = () => {
    if (mayCreate() && !card) {
      card = launcher.add({
        command: CommandIDs.create,
        args: { isLauncher: true },
        category: trans.__('Collaboration'),
        rank: 100
      });
    } else if (!mayCreate() && card) {
      card.dispose();
      card = null;
    }
  };
  showCard();
  groups.changed.connect(showCard);
  return model;
}

/**
 * What {@link startProjects} needs.
 */
export interface IProjectsStart {
  /** The application. */
  app: JupyterFrontEnd;
  /** The groups service. */
  groups: IHubGroups;
  /** The command palette, or null. */
  palette: ICommandPalette | null;
  /** The translation bundle of this package. */
  trans: TranslationBundle;
  /**
   * The start-up answer's fields: `projects_service` (`allowed`,
   * `max_per_person`) when people may make projects, `project_access`.
   */
  answer: any;
  /** The service's client (default: this page's). */
  client?: ProjectsClient | null;
}
