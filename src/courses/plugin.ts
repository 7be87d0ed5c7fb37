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

import { onGroupsChanged } from '../common/groups';
import { followSettings } from '../common/settings';
import { ICourseManagement, IHubGroups } from '../tokens';
import { EnrolmentClient, readManage } from './client';
import { courseMembersIcon } from './icon';
import { manageCards } from './members/cards';
import { linkedCourse, withoutManageParam } from './members/link';
import { CourseManagementModel } from './members/manage';
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
 * The panel (`members/open.ts`) and the notifications
 * (`requests/notify.ts`) are loaded with `import()` when first needed: a
 * student's page loads neither.
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
 * Create the model of the groups the user manages, the cards, the command,
 * the panels' tracker, and the notifications of new requests to join.
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
  const model = new CourseManagementModel({
    serverSettings: app.serviceManager.serverSettings,
    auto: false
  });
  if (!PageConfig.getOption('hubPrefix')) {
    return model; // no hub, no groups to manage (never asked)
  }
  const courses: Private.ICourses = {
    app,
    groups,
    model,
    trans: translator.load('jupyterlab_hub_groups'),
    // Requests to join courses (null: not on one's own server).
    enrolment: EnrolmentClient.fromPage(),
    tracker: new WidgetTracker<MainAreaWidget<CourseMembersPanel>>({
      namespace: 'hub-groups-course'
    }),
    settings: null,
    notice: null
  };
  // The e-mail's link, read before anything may change the address.
  const linked = linkedCourse(window.location.href);
  Private.startModel(courses);
  Private.addCommand(courses, palette);
  if (launcher) {
    manageCards({ model, launcher, command: CommandIDs.manage });
  }
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
  return model;
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
    readonly model: CourseManagementModel;
    readonly trans: TranslationBundle;
    readonly enrolment: EnrolmentClient | null;
    readonly tracker: WidgetTracker<MainAreaWidget<CourseMembersPanel>>;
    /** The settings, once read (null: the schema's defaults apply). */
    settings: ISettings | null;
    /** The notifications of new requests, once loaded. */
    notice: { pending: PendingModel; notifier: PendingNotifier } | null;
  }

  /**
   * Start the model once JupyterLab is restored (not needed to draw it),
   * seeded with the start-up answer's `manage` when it carried one (then
   * the first request comes an interval later); and ask again when the
   * groups change (a new group may come with a new role).
   */
  export function startModel({ app, groups, model }: ICourses): void {
    void Promise.all([app.restored, groups.startup]).then(([, startup]) => {
      if (startup?.manage) {
        try {
          model.seed(readManage(startup.manage));
        } catch (reason) {
          console.warn('jupyterlab-hub-groups: manage at start-up', reason);
        }
      }
      model.start();
    });
    onGroupsChanged(groups, () => void model.refresh());
  }

  /**
   * The command that opens a group's panel (or picks the group), in the
   * palette while there is a group to manage.
   */
  export function addCommand(
    courses: ICourses,
    palette: ICommandPalette | null
  ): void {
    const { app, model, trans } = courses;
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
        typeof args.group === 'string' || model.groups.length > 0,
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
          typeof args.group === 'string'
            ? args.group
            : await pick(model, trans);
        return group ? open(courses, group) : undefined;
      }
    });
    // The palette shows the command only while there is a group to manage.
    model.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.manage)
    );
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
    const { createPanel } = await import('./members/open');
    const widget = createPanel({
      group,
      serverSettings: app.serviceManager.serverSettings,
      enrolment: courses.groups.hubGroupsService ? courses.enrolment : null,
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
    const { enrolment, groups, model } = courses;
    if (!enrolment) {
      return;
    }
    const wanted = () => model.groups.length > 0 && groups.hubGroupsService;
    let loading = false;
    const follow = () => {
      if (courses.notice) {
        courses.notice.pending.active = wanted();
      } else if (wanted() && !loading) {
        loading = true;
        void import('./requests/notify').then(({ createNotifier }) => {
          courses.notice = createNotifier({
            client: enrolment,
            user: PageConfig.getOption('hubUser'),
            trans: courses.trans,
            open: group =>
              void courses.app.commands.execute(CommandIDs.manage, { group })
          });
          applySettings(courses);
          follow();
        });
      }
    };
    model.changed.connect(follow);
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
    courses.model.interval = settings.interval;
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
  async function pick(
    model: CourseManagementModel,
    trans: TranslationBundle
  ): Promise<string | null> {
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
