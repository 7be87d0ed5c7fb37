import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { addCardCommand } from '../../common/cardcommand';
import { onGroupsChanged, whenHubGroupsService } from '../../common/groups';
import { onSomeoneElsesServer } from '../../common/page';
import { followSettings } from '../../common/settings';
import { afterStartup } from '../../common/startup';
import { ICourseManagement, IHubGroups } from '../../tokens';
import type { JoinModel } from './model';

/**
 * Command IDs of the enrolment cards.
 */
namespace CommandIDs {
  /** The command behind a "Join <course>" card; args `{ group }`. */
  export const join = 'hub-groups:join-course';
}

/**
 * Joining courses, the student's side: a "Join <course>" card in the
 * launcher's "Courses" section for every course the user may ask to join
 * (or join) and is not in, showing where their request stands; its dialog
 * sends the request with a message, joins an open course, or withdraws.
 * Once the user is in, the groups service is asked at once, so the
 * course's own cards appear and the Join card goes, without a reload.
 *
 * #### Notes
 * A plugin of its own, apart from the instructors' members panel
 * (`jupyterlab-hub-groups:courses`): everyone logged in gets it, it needs
 * the launcher, and either can be turned off without the other
 * (`disabledExtensions`). Nothing outside a hub, nor on someone else's
 * server (a collaboration account's), nor for courses the user manages,
 * nor where the page's token may not call the service (a hub without it:
 * not even a request).
 *
 * The model, the cards and their command (`model.ts`, `cards.ts`, with
 * the service's client) are loaded with `import()` when there may be a
 * course to join: not on the page of a student in every course there is
 * (the start-up answer's `coursesToJoin` is empty) until the groups
 * change.
 */
export const enrolmentPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hub-groups:enrolment',
  description:
    'Adds a "Join <course>" launcher card for each course the user may ask to join, with where their request stands.',
  autoStart: true,
  requires: [IHubGroups, ILauncher, ITranslator],
  optional: [ICourseManagement, ISettingRegistry],
  activate
};

/**
 * Start the courses one may join, loaded when there may be one.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  launcher: ILauncher,
  translator: ITranslator,
  managed: ICourseManagement | null,
  settingRegistry: ISettingRegistry | null
): void {
  if (!PageConfig.getOption('hubPrefix') || onSomeoneElsesServer()) {
    return; // no hub, or someone else's server: nothing to join from here
  }
  const join: Private.IJoin = {
    app,
    groups,
    launcher,
    managed,
    trans: translator.load('jupyterlab_hub_groups'),
    interval: null,
    model: null
  };
  Private.startModel(join);
  followSettings(settingRegistry, enrolmentPlugin.id, settings => {
    join.interval = settings.get('interval').composite as number;
    if (join.model) {
      join.model.interval = join.interval;
    }
  });
}

namespace Private {
  /**
   * What the plugin's parts share.
   */
  export interface IJoin {
    readonly app: JupyterFrontEnd;
    readonly groups: IHubGroups;
    readonly launcher: ILauncher;
    readonly managed: ICourseManagement | null;
    readonly trans: TranslationBundle;
    /** The settings' interval, once read (null: the model's default). */
    interval: number | null;
    /** The model, once loaded (null on someone else's server). */
    model: JoinModel | null;
  }

  /**
   * Start reading once JupyterLab is restored (not needed to draw it), and
   * only where the hub has the service (the groups service's answer says
   * whether the page's token may call it) and there may be a course to
   * join: the start-up answer's `coursesToJoin` is [] when the hub knows
   * there is none (then nothing is loaded, nor asked, at start), null when
   * it does not know. When the groups change (added or removed another
   * way: an instructor's panel), read again, or start then.
   */
  export function startModel(join: IJoin): void {
    const { app, groups } = join;
    let allowed = false;
    let started: Promise<void> | null = null;
    const start = () => (started ??= load(join));
    void afterStartup(app, groups).then(startup =>
      whenHubGroupsService(groups, () => {
        allowed = true;
        const toJoin = startup?.coursesToJoin ?? null;
        if (toJoin === null || toJoin.length > 0) {
          void start();
        }
      })
    );
    onGroupsChanged(groups, () => {
      if (join.model) {
        void join.model.refresh();
      } else if (allowed) {
        // Started and still loading: its first read comes after this.
        void start();
      }
    });
  }

  /**
   * Load the model, the cards and the service's client; on this page's
   * own server, create them, add the command, and start reading.
   */
  async function load(join: IJoin): Promise<void> {
    const [{ JoinModel }, { JoinCards }, { EnrolmentClient }] =
      await Promise.all([
        import(/* webpackChunkName: "hub-groups-join" */ './model'),
        import(/* webpackChunkName: "hub-groups-join" */ './cards'),
        import(/* webpackChunkName: "hub-groups-join" */ '../client')
      ]);
    const client = EnrolmentClient.fromPage();
    if (!client) {
      return; // someone else's server
    }
    const { app, groups, trans } = join;
    const model = new JoinModel({
      client,
      interval: join.interval ?? undefined
    });
    join.model = model;

    // In a course now: the groups service asks the hub at once, and the
    // course's own cards (gated on the group) appear. Not when it knows
    // already: its own change is what made this model read again.
    model.joined.connect((_, group) => {
      if (!groups.groups.has(group)) {
        void groups.refresh();
      }
    });

    const cards = new JoinCards({
      model,
      groups,
      // Instructors have the course's Manage card, not a Join card.
      managed: join.managed,
      launcher: join.launcher,
      command: CommandIDs.join,
      trans
    });
    addCardCommand(app.commands, CommandIDs.join, cards, {
      name: 'group',
      description: trans.__('The course to join')
    });
    model.start();
  }
}
