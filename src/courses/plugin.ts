import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { onGroupsChanged } from '../common/groups';
import { afterStartup } from '../common/startup';
import { ICourseManagement, IHubGroups } from '../tokens';
import type { ICourses, IManagedGroups, Instructor } from './instructor';
import type { CourseManagementModel } from './members/manage';
import type { CourseMembersPanel } from './members/panel';

/**
 * Command IDs of the course panel.
 */
namespace CommandIDs {
  /** Open a group's "Course members" panel; args `{ group }`, or none to choose. */
  export const manage = 'hub-groups:manage-course';
}

/**
 * Course members: for each hub group the user may manage (the hub says
 * which, from the page token's scopes), a launcher card "Manage <group>"
 * and a palette command that open a panel to list, add and remove its
 * members, and to approve or decline requests to join it. While the user
 * manages a group, new requests to join are notified, with a button that
 * opens the course's panel; so does the link of the instructors' e-mails
 * (`?hub-groups-manage=<course>`). Nothing for anyone else, and nothing
 * outside a hub.
 *
 * #### Notes
 * At start, this file only: the command (the layout restorer runs it for
 * the panels of the last session), the panels' tracker, and what decides
 * whether to load the rest. The rest (`instructor.ts`, with the model of
 * the groups the user manages, its cards and the clients: the chunk
 * `hub-groups-manage`) is loaded with `import()` when the start-up
 * answer's `manage` lists a group or is not known, when the groups
 * change, when the command runs, or when the address has the e-mail's
 * link; the panel (`members/open.ts`) when one is opened; the
 * notifications (`requests/notify.ts`) when the user manages a group.
 * Until the model is loaded, the user manages no group: the page token's
 * scopes, which say whom one manages, are those of the server's start, so
 * a page told "none" at start is not asked again until its groups change.
 */
export const coursesPlugin: JupyterFrontEndPlugin<ICourseManagement> = {
  id: 'jupyterlab-hub-groups:courses',
  description:
    'Adds a "Course members" panel for each hub group the user may manage, opened from the launcher and the command palette; provides the groups the user may manage.',
  autoStart: true,
  provides: ICourseManagement,
  requires: [IHubGroups, ITranslator],
  optional: [ILauncher, ICommandPalette, ILayoutRestorer, ISettingRegistry],
  activate
};

/**
 * Provide the groups the user manages, add the command and the panels'
 * tracker, and load the instructor's side when it is needed.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  translator: ITranslator,
  launcher: ILauncher | null,
  palette: ICommandPalette | null,
  restorer: ILayoutRestorer | null,
  settingRegistry: ISettingRegistry | null
): ICourseManagement {
  const managed = new Private.ManagedGroups();
  if (!PageConfig.getOption('hubPrefix')) {
    return managed; // no hub, no groups to manage (never asked)
  }
  const courses: Private.ICoursesAtStart = {
    app,
    groups,
    managed,
    launcher,
    trans: translator.load('jupyterlab_hub_groups'),
    tracker: new WidgetTracker<MainAreaWidget<CourseMembersPanel>>({
      namespace: 'hub-groups-course'
    }),
    command: CommandIDs.manage,
    settingRegistry,
    settings: null,
    icon: null,
    caption: null,
    instructor: null
  };
  // The e-mail's link (`members/link.ts`), read before anything may
  // change the address; its code is loaded only when there is one.
  const href = window.location.href;
  if (new URLSearchParams(window.location.search).has('hub-groups-manage')) {
    void Private.instructor(courses).then(it => it.openLinked(href));
  }
  Private.startModel(courses);
  Private.addCommand(courses, palette);
  if (restorer) {
    void restorer.restore(courses.tracker, {
      command: CommandIDs.manage,
      args: widget => ({ group: widget.content.model.group }),
      name: widget => widget.content.model.group
    });
  }
  return managed;
}

namespace Private {
  /**
   * What the plugin creates at start, and the instructor's side once
   * asked for.
   */
  export interface ICoursesAtStart extends ICourses {
    instructor: Promise<Instructor> | null;
  }

  /**
   * The groups the user manages (the plugin's `ICourseManagement`): those
   * of the model once it is loaded, none before.
   */
  export class ManagedGroups implements IManagedGroups {
    /**
     * The groups, sorted.
     */
    get groups(): readonly string[] {
      return this._model?.groups ?? [];
    }

    /**
     * Emitted when `groups` may have changed.
     */
    get changed(): ISignal<ICourseManagement, void> {
      return this._changed;
    }

    /**
     * The model, once loaded.
     */
    get model(): CourseManagementModel | null {
      return this._model;
    }
    set model(model: CourseManagementModel | null) {
      this._model = model;
      model?.changed.connect(() => this._changed.emit());
      this._changed.emit();
    }

    private _model: CourseManagementModel | null = null;
    private _changed = new Signal<ICourseManagement, void>(this);
  }

  /**
   * The instructor's side (`instructor.ts`), loaded at the first call.
   */
  export function instructor(courses: ICoursesAtStart): Promise<Instructor> {
    return (courses.instructor ??= import(
      /* webpackChunkName: "hub-groups-manage" */ './instructor'
    ).then(({ Instructor }) => new Instructor(courses)));
  }

  /**
   * Load the model once JupyterLab is restored (not needed to draw it),
   * seeded with the start-up answer's `manage` when it carried one (then
   * the first request comes an interval later), unless that answer says
   * the user manages no group (a student: nothing loaded, nor asked);
   * and ask again when the groups change (a new group may come with a
   * new role), loading the model then if need be.
   */
  export function startModel(courses: ICoursesAtStart): void {
    const { app, groups } = courses;
    void afterStartup(app, groups).then(startup => {
      const manage = startup?.manage ?? null;
      if (!managesNone(manage)) {
        void instructor(courses).then(it => it.useModel(manage));
      }
    });
    onGroupsChanged(groups, () => {
      void instructor(courses).then(it => it.useModel().refresh());
    });
  }

  /**
   * Whether the start-up answer's `manage` says the user manages no group
   * (`{groups: []}`); null (not known) or a list says otherwise.
   */
  function managesNone(manage: any): boolean {
    return Array.isArray(manage?.groups) && manage.groups.length === 0;
  }

  /**
   * The command that opens a group's panel (or picks the group), in the
   * palette while there is a group to manage. Its icon comes with the
   * instructor's side (before, the command is shown nowhere: a card or
   * the palette's item needs a group to manage, a panel its code).
   */
  export function addCommand(
    courses: ICoursesAtStart,
    palette: ICommandPalette | null
  ): void {
    const { app, managed, trans } = courses;
    app.commands.addCommand(CommandIDs.manage, {
      label: args =>
        typeof args.group === 'string'
          ? trans.__('Manage %1', args.group)
          : trans.__('Manage Course Members…'),
      // From the instructor's side, once loaded: the command is visible
      // only then (or with a group, which loads it).
      caption: args => courses.caption?.(args) ?? '',
      icon: () => courses.icon ?? undefined,
      // The hub's answer decides; a group named in args is checked by the server.
      isVisible: args =>
        typeof args.group === 'string' || managed.groups.length > 0,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            group: {
              type: 'string',
              description: trans.__('The hub group whose members to manage')
            }
          }
        }
      },
      execute: async args => (await instructor(courses)).execute(args)
    });
    palette?.addItem({
      command: CommandIDs.manage,
      category: trans.__('Hub Groups')
    });
  }
}
