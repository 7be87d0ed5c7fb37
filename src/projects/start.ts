/**
 * The projects' start, loaded by the plugin when the start-up answer says
 * the service keeps projects: "New Project…" (a card and a command) while
 * the user may make one, and the model of their projects (`working.ts`)
 * once they may be in one (the start-up answer says so, their groups
 * change, or they make one). The dialogs and panels come with their own
 * chunks, when opened: every page of a hub where anyone may make projects
 * loads this file, so it stays small.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';

import { IHubGroups } from '../tokens';
import type { ProjectsClient } from './client';
import type { ProjectsModel } from './model';
import { sharesWithGroup } from './remember';

/**
 * Open "Share My Server…" (its dialog loaded now).
 *
 * @param groups - The user's groups (one may share with one of them).
 * @param trans - The translation bundle of this package.
 */
export async function shareServer(
  groups: Iterable<string>,
  trans: TranslationBundle
): Promise<void> {
  const { shareServer: open } = await import('./share');
  return open(groups, trans);
}

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
 * Start the projects: "New Project…" while the user may make one, and the
 * model (polling) when the user may be in a project. The launcher is the
 * application's (asked here, not by the plugin: its bytes are on every
 * page's start).
 *
 * @param options - What the plugin has.
 * @returns What was started, or null without a launcher.
 */
export async function startProjects(
  options: IProjectsStart
): Promise<IProjectsStarted | null> {
  const { app, groups, trans, answer } = options;
  const launcher = await app.resolveOptionalService(ILauncher);
  if (!launcher) {
    return null;
  }
  let model: ProjectsModel | null = null;
  let loading: Promise<ProjectsModel | null> | null = null;
  const whenModel = () =>
    (loading ??= import('./working').then(
      ({ startModel }) =>
        (model = startModel({
          app,
          launcher,
          client: options.client,
          trans,
          commandIds: CommandIDs
        }))
    ));
  const started: IProjectsStarted = {
    get model() {
      return model;
    },
    whenModel,
    dispose: () => model?.dispose()
  };
  // Read at once when the user may be in a project (the start-up answer
  // says so, or cannot say); else when their groups change (being added
  // to a project adds its group), or once they make one. Also while one
  // shares one's server with a group: each read gives the group's
  // newcomers their share (the service may do so with this page's token
  // only).
  if (answer.service_projects !== false || sharesWithGroup()) {
    (await whenModel())?.start();
  }
  // This runs after the groups' first answer (the start-up answer's): a
  // change is against the groups now, not against the next answer, which
  // may be the change itself (common/groups' onGroupsChanged waits for one;
  // seeding it there, for every caller, adds 14 B to every page's start
  // path, which has 1 B to spare: measured with build:prod).
  let seen = [...groups.groups].sort().join('\n');
  groups.changed.connect(() => {
    const now = [...groups.groups].sort().join('\n');
    if (now !== seen) {
      seen = now;
      void whenModel().then(m => (m?.active ? void m.refresh() : m?.start()));
    }
  });

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
      const [m, { newProject }] = await Promise.all([
        whenModel(),
        import('./newproject')
      ]);
      if (m) {
        await newProject(m, trans, groups.user?.name);
      }
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
  return started;
}

/**
 * What {@link startProjects} started.
 */
export interface IProjectsStarted {
  /** The model, once loaded. */
  readonly model: ProjectsModel | null;
  /** Load the model (once), or null without a client here. */
  whenModel(): Promise<ProjectsModel | null>;
  /** Dispose of the model, if loaded. */
  dispose(): void;
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
