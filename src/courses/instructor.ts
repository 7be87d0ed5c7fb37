/**
 * What the courses plugin (`plugin.ts`) does only on an instructor's page,
 * or when its command is used: the model of the groups the user manages
 * and its Manage cards, opening, picking and restoring panels, the
 * notifications of new requests to join, the e-mail's link, the command's
 * icon. Loaded with `import()` in the `hub-groups-manage` chunk (with the
 * model, the cards and the clients); a student's page the start-up answer
 * says manages none loads none of it, nor its styles.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  type MainAreaWidget,
  showDialog,
  type WidgetTracker
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import type { ILauncher } from '@jupyterlab/launcher';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { followSettings } from '../common/settings';
import { seedWith } from '../common/startup';
import type { ICourseManagement, IHubGroups } from '../tokens';
import { EnrolmentClient, readManage } from './client';
import { courseMembersIcon } from './icon';
import {
  addManageCardCommand,
  MANAGE_CARD_COMMAND,
  manageCards
} from './members/cards';
import { linkedCourse, withoutManageParam } from './members/link';
import { CourseManagementModel } from './members/manage';
import type { CourseMembersPanel } from './members/panel';
import type { PendingNotifier } from './requests/notifier';
import type { PendingModel } from './requests/pending';

/**
 * The settings the courses plugin follows.
 */
export interface ICourseSettings {
  interval: number;
  membersInterval: number;
  pendingInterval: number;
  notifyRequests: boolean;
}

/**
 * The groups the user manages (the plugin's `ICourseManagement`), whose
 * model this module gives once loaded.
 */
export interface IManagedGroups extends ICourseManagement {
  /** The model, once loaded (the groups: none before). */
  model: CourseManagementModel | null;
}

/**
 * What the courses plugin creates at start and shares with this module.
 */
export interface ICourses {
  readonly app: JupyterFrontEnd;
  readonly groups: IHubGroups;
  readonly managed: IManagedGroups;
  readonly launcher: ILauncher | null;
  readonly trans: TranslationBundle;
  readonly tracker: WidgetTracker<MainAreaWidget<CourseMembersPanel>>;
  /** The command that opens a group's panel (args `{ group }`, or none). */
  readonly command: string;
  /** The settings registry (the plugin's settings are read here, when
   *  this module is loaded: only what it shows follows them). */
  readonly settingRegistry: ISettingRegistry | null;
  /** The settings, once read (null: the schema's defaults apply). */
  settings: ICourseSettings | null;
  /** The command's icon, once this module is loaded. */
  icon: LabIcon | null;
  /** The command's caption, once this module is loaded. */
  caption: ((args: ReadonlyPartialJSONObject) => string) | null;
}

/**
 * The instructor's side of the courses plugin, one per page.
 *
 * #### Notes
 * Its state (the model, the client, the notifications) is the
 * instance's, not this module's: a module is loaded once, a plugin may
 * be activated more than once (the specs).
 */
export class Instructor {
  /**
   * Give the command its icon.
   *
   * @param courses - What the plugin created at start.
   */
  constructor(courses: ICourses) {
    this._courses = courses;
    courses.icon = courseMembersIcon;
    courses.caption = args =>
      typeof args.group === 'string'
        ? courses.trans.__('Add and remove the members of %1', args.group)
        : courses.trans.__('Add and remove the members of a group you manage');
    courses.app.commands.notifyCommandChanged(courses.command);
    addManageCardCommand(courses.app.commands, {
      open: courses.command,
      trans: courses.trans,
      icon: courseMembersIcon,
      waiting: group => this._waiting(group),
      titleOf: group => this._model?.titleOf(group) ?? group
    });
    followSettings(
      courses.settingRegistry,
      'jupyterlab-hub-groups:courses',
      settings => {
        courses.settings = {
          interval: settings.get('interval').composite as number,
          membersInterval: settings.get('membersInterval').composite as number,
          pendingInterval: settings.get('pendingInterval').composite as number,
          notifyRequests: settings.get('notifyRequests').composite as boolean
        };
        this.applySettings();
      }
    );
  }

  /**
   * The model of the groups the user manages: created (with its cards)
   * and started at the first call, seeded with `manage` if given then.
   *
   * @param manage - The start-up answer's `manage`, or null.
   * @returns The model.
   */
  useModel(manage: unknown = null): CourseManagementModel {
    return (this._model ??= this._createModel(manage));
  }

  /**
   * The command: open the group named, or the one the user picks.
   *
   * @param args - The command's arguments (`{ group }`, or none).
   * @returns The panel, or undefined when no group was picked.
   */
  async execute(
    args: ReadonlyPartialJSONObject
  ): Promise<MainAreaWidget<CourseMembersPanel> | undefined> {
    const group =
      typeof args.group === 'string' ? args.group : await this._pick();
    return group ? this.open(group) : undefined;
  }

  /**
   * Open a group's panel, or show the one open already. The panel's code
   * is loaded with the first one.
   *
   * @param group - The group.
   * @returns The panel's widget, in the shell.
   */
  async open(group: string): Promise<MainAreaWidget<CourseMembersPanel>> {
    const { app, tracker, groups, trans } = this._courses;
    const existing = tracker.find(w => w.content.model.group === group);
    if (existing) {
      app.shell.activateById(existing.id);
      return existing;
    }
    const { createPanel } = await import('./members/open');
    const widget = createPanel({
      group,
      title: this._model?.titleOf(group) ?? group,
      serverSettings: app.serviceManager.serverSettings,
      enrolment: groups.hubGroupsService ? this._enrolment() : null,
      interval: this._courses.settings?.membersInterval ?? 10,
      // A decision in the panel: the notification of new requests follows.
      decided: () => this._notice?.pending.decidedHere(),
      trans
    });
    void tracker.add(widget);
    app.shell.add(widget, 'main');
    app.shell.activateById(widget.id);
    return widget;
  }

  /**
   * The e-mail's link opens the course's panel once JupyterLab is
   * restored, then leaves the address (a reload does not open it again).
   *
   * @param href - The page's address at start.
   */
  openLinked(href: string): void {
    const group = linkedCourse(href);
    if (!group) {
      return;
    }
    const { app, command } = this._courses;
    void app.restored.then(async () => {
      await app.commands.execute(command, { group });
      const now = withoutManageParam(window.location.href);
      if (now !== window.location.href) {
        window.history.replaceState(window.history.state, '', now);
      }
    });
  }

  /**
   * Give the settings to what is there now.
   */
  applySettings(): void {
    const { settings, managed, tracker } = this._courses;
    if (!settings) {
      return;
    }
    if (managed.model) {
      managed.model.interval = settings.interval;
    }
    tracker.forEach(widget => {
      widget.content.model.interval = settings.membersInterval;
      if (widget.content.requests) {
        widget.content.requests.interval = settings.membersInterval;
      }
    });
    if (this._notice) {
      this._notice.pending.interval = settings.pendingInterval;
      this._notice.notifier.enabled = settings.notifyRequests;
    }
  }

  private _createModel(manage: unknown): CourseManagementModel {
    const { app, launcher, managed, command } = this._courses;
    const model = new CourseManagementModel({
      serverSettings: app.serviceManager.serverSettings,
      interval: this._courses.settings?.interval,
      auto: false
    });
    seedWith(model, manage, readManage, 'manage');
    // Before the groups are given: their first change may start it.
    this._followRequests();
    managed.model = model;
    // The palette shows the command only while there is a group to manage.
    model.changed.connect(() => app.commands.notifyCommandChanged(command));
    if (launcher) {
      this._cards = manageCards({
        model,
        launcher,
        command: MANAGE_CARD_COMMAND,
        waiting: group => this._waiting(group)
      });
    }
    model.start();
    return model;
  }

  /**
   * The client of requests to join courses, or null on someone else's
   * server.
   */
  private _enrolment(): EnrolmentClient | null {
    if (this._client === undefined) {
      this._client = EnrolmentClient.fromPage();
    }
    return this._client;
  }

  /**
   * Notify new requests to join while the user manages a group (only
   * once the model says so: this module is loaded then), from a service
   * the page may call; the notifications' code is loaded then.
   */
  private _followRequests(): void {
    const { app, groups, managed, command, trans } = this._courses;
    const wanted = () => managed.groups.length > 0 && groups.hubGroupsService;
    let loading = false;
    const follow = () => {
      if (this._notice) {
        this._notice.pending.active = wanted();
      } else if (wanted() && !loading) {
        loading = true;
        void load();
      }
    };
    const load = async () => {
      const client = this._enrolment();
      if (!client) {
        return; // someone else's server: never
      }
      const { createNotifier } = await import('./requests/notify');
      this._notice = createNotifier({
        client,
        user: PageConfig.getOption('hubUser'),
        trans,
        open: group => void app.commands.execute(command, { group }),
        titleOf: group => this._model?.titleOf(group) ?? group
      });
      // The Manage cards say how many requests wait.
      this._notice.pending.changed.connect(() => this._cards?.update());
      this.applySettings();
      follow();
    };
    managed.changed.connect(follow);
    groups.changed.connect(follow);
  }

  /**
   * How many requests to join wait in a group, as the notifications'
   * model last read them (none before it is loaded).
   */
  private _waiting(group: string): number {
    const pending = this._notice?.pending.pending ?? [];
    return pending.filter(p => p.group === group).length;
  }

  /**
   * Which group to manage: the only one, or the one the user picks.
   */
  private async _pick(): Promise<string | null> {
    const { trans } = this._courses;
    const model = this.useModel();
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

  private _courses: ICourses;
  private _model: CourseManagementModel | null = null;
  private _cards: { update(): void } | null = null;
  private _client: EnrolmentClient | null | undefined = undefined;
  private _notice: { pending: PendingModel; notifier: PendingNotifier } | null =
    null;
}
