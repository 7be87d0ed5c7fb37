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
import { ManageCards } from './members/cards';
import { courseMembersIcon } from './icon';
import { linkedCourse, withoutManageParam } from './members/link';
import { CourseManagementModel, CourseMembersModel } from './members/model';
import { PendingNotifier } from './requests/notifier';
import { CourseMembersPanel } from './members/panel';
import { CourseRequestsModel, PendingModel } from './requests/model';
import { EnrolmentClient } from './client';

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
  const serverSettings = app.serviceManager.serverSettings;
  const model = new CourseManagementModel({ serverSettings, auto: false });
  if (!PageConfig.getOption('hubPrefix')) {
    return model; // no hub, no groups to manage (never asked)
  }
  const trans = translator.load('jupyterlab_hub_groups');
  // Not needed to draw JupyterLab: first request once it is restored.
  void app.restored.then(() => model.start());
  // The e-mail's link, read before anything may change the address.
  const linked = linkedCourse(window.location.href);
  // Requests to join courses (null: not on one's own server).
  const enrolment = EnrolmentClient.fromPage();

  // A new group may come with a new role: ask again when the groups change.
  onGroupsChanged(groups, () => {
    void model.refresh().catch(() => undefined);
  });

  const tracker = new WidgetTracker<MainAreaWidget<CourseMembersPanel>>({
    namespace: 'hub-groups-course'
  });
  // New requests to join, notified while the user manages a group.
  const pending = enrolment
    ? new PendingModel({
        client: enrolment,
        user: PageConfig.getOption('hubUser')
      })
    : null;

  let membersInterval = 10;
  const open = (group: string): MainAreaWidget<CourseMembersPanel> => {
    const existing = tracker.find(w => w.content.model.group === group);
    if (existing) {
      app.shell.activateById(existing.id);
      return existing;
    }
    const members = new CourseMembersModel({
      serverSettings,
      group,
      interval: membersInterval
    });
    // (the requests to join are the hub-groups service's: only where the
    // page may call it)
    const requests =
      enrolment && groups.hubGroupsService
        ? new CourseRequestsModel({
            client: enrolment,
            group,
            interval: membersInterval
          })
        : null;
    // A decision in the panel: the notification of new requests follows.
    requests?.decided.connect(() => pending?.decidedHere());
    const content = new CourseMembersPanel({ model: members, requests, trans });
    const widget = new MainAreaWidget({ content });
    widget.id = `hub-groups-course-${Private.nextId()}`;
    widget.addClass('jp-HubGroupsCoursePanel');
    widget.title.label = trans.__('Members of %1', group);
    widget.title.caption = trans.__('Add and remove the members of %1', group);
    widget.title.icon = courseMembersIcon;
    widget.title.closable = true;
    widget.disposed.connect(() => {
      members.dispose();
      requests?.dispose();
    });
    void tracker.add(widget);
    app.shell.add(widget, 'main');
    app.shell.activateById(widget.id);
    return widget;
  };

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
          : await Private.pick(model, trans);
      return group ? open(group) : undefined;
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
  if (launcher) {
    new ManageCards({ model, launcher, command: CommandIDs.manage });
  }
  if (restorer) {
    void restorer.restore(tracker, {
      command: CommandIDs.manage,
      args: widget => ({ group: widget.content.model.group }),
      name: widget => widget.content.model.group
    });
  }

  const notifier = pending
    ? new PendingNotifier({
        model: pending,
        trans,
        open: group => void app.commands.execute(CommandIDs.manage, { group })
      })
    : null;
  if (pending) {
    // New requests are read while the user manages a group, from a
    // service the page may call.
    const follow = () => {
      pending.active = model.groups.length > 0 && groups.hubGroupsService;
    };
    model.changed.connect(follow);
    groups.changed.connect(follow);
  }

  // The e-mail's link opens the course's panel once, then leaves the
  // address (a reload does not open it again).
  if (linked) {
    void app.restored.then(async () => {
      await app.commands.execute(CommandIDs.manage, { group: linked });
      const href = withoutManageParam(window.location.href);
      if (href !== window.location.href) {
        window.history.replaceState(window.history.state, '', href);
      }
    });
  }

  followSettings(settingRegistry, coursesPlugin.id, settings => {
    model.interval = settings.get('interval').composite as number;
    membersInterval = settings.get('membersInterval').composite as number;
    tracker.forEach(widget => {
      widget.content.model.interval = membersInterval;
      if (widget.content.requests) {
        widget.content.requests.interval = membersInterval;
      }
    });
    if (pending && notifier) {
      pending.interval = settings.get('pendingInterval').composite as number;
      notifier.enabled = settings.get('notifyRequests').composite as boolean;
    }
  });
  return model;
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for a panel.
   */
  export function nextId(): number {
    return ++lastId;
  }

  /**
   * Which group to manage: the only one, or the one the user picks.
   */
  export async function pick(
    model: CourseManagementModel,
    trans: TranslationBundle
  ): Promise<string | null> {
    if (!model.groups.length) {
      await model.refresh().catch(() => undefined);
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
