import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { afterStartup, seedWith } from '../common/startup';
import { ICourseManagement, IHubGroups } from '../tokens';
import type { EnrolmentClient } from './client';
import { courseMembersIcon } from './icon';
import { linkedCourse, withoutManageParam } from './members/link';
import type { CourseManagementModel } from './members/manage';
import type { CourseMembersPanel } from './members/panel';
import type { PendingNotifier } from './requests/notifier';
import type { PendingModel } from './requests/pending';

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
 * Loaded with `import()` when first needed, so that a student's page
 * loads none of it: the model of the groups the user manages, its cards
 * and the manage client (`members/manage.ts`, `members/cards.ts`,
 * `client.ts`) when the start-up answer's `manage` lists a group or is
 * not known, or when the groups change, or the command asks; the panel
 * (`members/open.ts`) when one is opened; the notifications
 * (`requests/notify.ts`) when the user manages a group. Until the model
 * is loaded, the user manages no group: the page token's scopes, which
 * say whom one manages, are those of the server's start, so a page told
 * "none" at start is not asked again until its groups change.
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
 * Provide the groups the user manages, and add the command, the panels'
 * tracker, and what loads the model, its cards and the notifications of
 * new requests to join when they are needed.
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
  const courses: Private.ICourses = {
    app,
    groups,
    managed,
    launcher,
    trans: translator.load('jupyterlab_hub_groups'),
    tracker: new WidgetTracker<MainAreaWidget<CourseMembersPanel>>({
      namespace: 'hub-groups-course'
    }),
    model: null,
    enrolment: null,
    settings: null,
    notice: null
  };
  // The e-mail's link, read before anything may change the address.
  const linked = linkedCourse(window.location.href);
  Private.startModel(courses);
  Private.addCommand(courses, palette);
  if (restorer) {
    void restorer.restore(courses.tracker, {
      command: CommandIDs.manage,
      args: widget => ({ group: widget.content.model.group }),
      name: widget => widget.content.model.group
    });
  }
  Private.followRequests(courses);
  if (linked) {
    Private.openLinked(app, linked);
  }
  followSettings(settingRegistry, coursesPlugin.id, settings => {
    courses.settings = {
      interval: settings.get('interval').composite as number,
      membersInterval: settings.get('membersInterval').composite as number,
      pendingInterval: settings.get('pendingInterval').composite as number,
      notifyRequests: settings.get('notifyRequests').composite as boolean
    };
    Private.applySettings(courses);
  });
  return managed;
}

namespace Private {
  /**
   * The settings the plugin follows.
   */
  export interface ISettings {
    interval: number;
    membersInterval: number;
    pendingInterval: number;
    notifyRequests: boolean;
  }

  /**
   * What the plugin's parts share.
   */
  export interface ICourses {
    readonly app: JupyterFrontEnd;
    readonly groups: IHubGroups;
    readonly managed: ManagedGroups;
    readonly launcher: ILauncher | null;
    readonly trans: TranslationBundle;
    readonly tracker: WidgetTracker<MainAreaWidget<CourseMembersPanel>>;
    /** The model of the groups the user manages, once asked for. */
    model: Promise<CourseManagementModel> | null;
    /** Requests to join courses (null: not on one's own server), once asked for. */
    enrolment: Promise<EnrolmentClient | null> | null;
    /** The settings, once read (null: the schema's defaults apply). */
    settings: ISettings | null;
    /** The notifications of new requests, once loaded. */
    notice: { pending: PendingModel; notifier: PendingNotifier } | null;
  }

  /**
   * The groups the user manages (the plugin's `ICourseManagement`): those
   * of the model once it is loaded, none before.
   */
  export class ManagedGroups implements ICourseManagement {
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
   * Load the model once JupyterLab is restored (not needed to draw it),
   * seeded with the start-up answer's `manage` when it carried one (then
   * the first request comes an interval later), unless that answer says
   * the user manages no group (a student: nothing loaded, nor asked);
   * and ask again when the groups change (a new group may come with a
   * new role), loading the model then if need be.
   */
  export function startModel(courses: ICourses): void {
    const { app, groups } = courses;
    void afterStartup(app, groups).then(startup => {
      const manage = startup?.manage ?? null;
      if (!managesNone(manage)) {
        void useModel(courses, manage);
      }
    });
    onGroupsChanged(groups, () => {
      void useModel(courses).then(model => model.refresh());
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
   * The model of the groups the user manages: loaded (with its cards)
   * and started at the first call, seeded with `manage` if given then.
   *
   * @param courses - The plugin's parts.
   * @param manage - The start-up answer's `manage`, or null.
   */
  export function useModel(
    courses: ICourses,
    manage: unknown = null
  ): Promise<CourseManagementModel> {
    return (courses.model ??= loadModel(courses, manage));
  }

  async function loadModel(
    courses: ICourses,
    manage: unknown
  ): Promise<CourseManagementModel> {
    const [{ CourseManagementModel }, { manageCards }, { readManage }] =
      await Promise.all([
        import(/* webpackChunkName: "hub-groups-manage" */ './members/manage'),
        import(/* webpackChunkName: "hub-groups-manage" */ './members/cards'),
        import(/* webpackChunkName: "hub-groups-manage" */ './client')
      ]);
    const { app, launcher, managed } = courses;
    const model = new CourseManagementModel({
      serverSettings: app.serviceManager.serverSettings,
      interval: courses.settings?.interval,
      auto: false
    });
    seedWith(model, manage, readManage, 'manage');
    managed.model = model;
    // The palette shows the command only while there is a group to manage.
    model.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.manage)
    );
    if (launcher) {
      manageCards({ model, launcher, command: CommandIDs.manage });
    }
    model.start();
    return model;
  }

  /**
   * The client of requests to join courses, or null on someone else's
   * server; loaded at the first call.
   */
  export function enrolment(
    courses: ICourses
  ): Promise<EnrolmentClient | null> {
    return (courses.enrolment ??= import(
      /* webpackChunkName: "hub-groups-manage" */ './client'
    ).then(({ EnrolmentClient }) => EnrolmentClient.fromPage()));
  }

  /**
   * The command that opens a group's panel (or picks the group), in the
   * palette while there is a group to manage.
   */
  export function addCommand(
    courses: ICourses,
    palette: ICommandPalette | null
  ): void {
    const { app, managed, trans } = courses;
    app.commands.addCommand(CommandIDs.manage, {
      label: args =>
        typeof args.group === 'string'
          ? trans.__('Manage %1', args.group)
          : trans.__('Manage Course Members…'),
      caption: args =>
        typeof args.group === 'string'
          ? trans.__('Add and remove the members of %1', args.group)
          : trans.__('Add and remove the members of a group you manage'),
      icon: courseMembersIcon,
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
      execute: async args => {
        const group =
          typeof args.group === 'string' ? args.group : await pick(courses);
        return group ? open(courses, group) : undefined;
      }
    });
    palette?.addItem({
      command: CommandIDs.manage,
      category: trans.__('Hub Groups')
    });
  }

  /**
   * Open a group's panel, or show the one open already. The panel's code
   * is loaded with the first one.
   */
  export async function open(
    courses: ICourses,
    group: string
  ): Promise<MainAreaWidget<CourseMembersPanel>> {
    const { app, tracker } = courses;
    const existing = tracker.find(w => w.content.model.group === group);
    if (existing) {
      app.shell.activateById(existing.id);
      return existing;
    }
    const [{ createPanel }, client] = await Promise.all([
      import('./members/open'),
      courses.groups.hubGroupsService ? enrolment(courses) : null
    ]);
    const widget = createPanel({
      group,
      serverSettings: app.serviceManager.serverSettings,
      enrolment: client,
      interval: courses.settings?.membersInterval ?? 10,
      // A decision in the panel: the notification of new requests follows.
      decided: () => courses.notice?.pending.decidedHere(),
      trans: courses.trans
    });
    void tracker.add(widget);
    app.shell.add(widget, 'main');
    app.shell.activateById(widget.id);
    return widget;
  }

  /**
   * Notify new requests to join while the user manages a group, from a
   * service the page may call; the notifications' code is loaded then.
   */
  export function followRequests(courses: ICourses): void {
    const { groups, managed } = courses;
    const wanted = () => managed.groups.length > 0 && groups.hubGroupsService;
    let loading = false;
    const follow = () => {
      if (courses.notice) {
        courses.notice.pending.active = wanted();
      } else if (wanted() && !loading) {
        loading = true;
        void load();
      }
    };
    const load = async () => {
      const client = await enrolment(courses);
      if (!client) {
        return; // someone else's server: never
      }
      const { createNotifier } = await import('./requests/notify');
      courses.notice = createNotifier({
        client,
        user: PageConfig.getOption('hubUser'),
        trans: courses.trans,
        open: group =>
          void courses.app.commands.execute(CommandIDs.manage, { group })
      });
      applySettings(courses);
      follow();
    };
    managed.changed.connect(follow);
    groups.changed.connect(follow);
  }

  /**
   * The e-mail's link opens the course's panel once, then leaves the
   * address (a reload does not open it again).
   */
  export function openLinked(app: JupyterFrontEnd, group: string): void {
    void app.restored.then(async () => {
      await app.commands.execute(CommandIDs.manage, { group });
      const href = withoutManageParam(window.location.href);
      if (href !== window.location.href) {
        window.history.replaceState(window.history.state, '', href);
      }
    });
  }

  /**
   * Give the settings to what is there now.
   */
  export function applySettings(courses: ICourses): void {
    const settings = courses.settings;
    if (!settings) {
      return;
    }
    if (courses.managed.model) {
      courses.managed.model.interval = settings.interval;
    }
    courses.tracker.forEach(widget => {
      widget.content.model.interval = settings.membersInterval;
      if (widget.content.requests) {
        widget.content.requests.interval = settings.membersInterval;
      }
    });
    if (courses.notice) {
      courses.notice.pending.interval = settings.pendingInterval;
      courses.notice.notifier.enabled = settings.notifyRequests;
    }
  }

  /**
   * Which group to manage: the only one, or the one the user picks.
   */
  async function pick(courses: ICourses): Promise<string | null> {
    const { trans } = courses;
    const model = await useModel(courses);
    if (!model.groups.length) {
      await model.refresh();
    }
    const groups = model.groups;
    if (groups.length === 1) {
      return groups[0];
    }
    if (!groups.length) {
      await showDialog({
        title: trans.__('Manage Course Members'),
        body: trans.__(
          'JupyterHub lets you manage the members of no group from this server.'
        ),
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
      return null;
    }
    const result = await InputDialog.getItem({
      title: trans.__('Manage Course Members'),
      label: trans.__('Group'),
      items: [...groups]
    });
    return result.button.accept ? result.value : null;
  }
}
