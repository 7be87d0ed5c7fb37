import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { onGroupsChanged, whenHubGroupsService } from '../../common/groups';
import { addCardCommand } from '../../common/modelcards';
import { followSettings } from '../../common/settings';
import { ICourseManagement, IHubGroups } from '../../tokens';
import { JoinModel } from './model';
import { JoinCards } from './cards';
import { EnrolmentClient } from '../client';

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
 * Create the model of the courses one may join and their cards.
 */
function activate(
  app: JupyterFrontEnd,
  groups: IHubGroups,
  launcher: ILauncher,
  translator: ITranslator,
  managed: ICourseManagement | null,
  settingRegistry: ISettingRegistry | null
): void {
  const client = EnrolmentClient.fromPage();
  if (!client) {
    return; // no hub, or someone else's server
  }
  const trans = translator.load('jupyterlab_hub_groups');
  const model = new JoinModel({ client });
  Private.startModel(app, groups, model);

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
    managed,
    launcher,
    command: CommandIDs.join,
    trans
  });
  addCardCommand(app.commands, CommandIDs.join, cards, {
    name: 'group',
    description: trans.__('The course to join')
  });

  followSettings(settingRegistry, enrolmentPlugin.id, settings => {
    model.interval = settings.get('interval').composite as number;
  });
}

namespace Private {
  /**
   * Start reading once JupyterLab is restored (not needed to draw it), and
   * only where the hub has the service (the groups service's answer says
   * whether the page's token may call it) and there may be a course to
   * join: the start-up answer's `coursesToJoin` is [] when the hub knows
   * there is none (then no request at start), null when it does not know.
   * When the groups change (added or removed another way: an
   * instructor's panel), read again, or start then.
   */
  export function startModel(
    app: JupyterFrontEnd,
    groups: IHubGroups,
    model: JoinModel
  ): void {
    let allowed = false;
    let started = false;
    const start = () => {
      started = true;
      model.start();
    };
    void Promise.all([app.restored, groups.startup]).then(([, startup]) =>
      whenHubGroupsService(groups, () => {
        allowed = true;
        const toJoin = startup?.coursesToJoin ?? null;
        if (toJoin === null || toJoin.length > 0) {
          start();
        }
      })
    );
    onGroupsChanged(groups, () => {
      if (started) {
        void model.refresh().catch(() => undefined);
      } else if (allowed) {
        start();
      }
    });
  }
}
