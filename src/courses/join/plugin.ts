import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { onGroupsChanged, whenHubGroupsService } from '../../common/groups';
import { onSomeoneElsesServer } from '../../common/page';
import { afterStartup } from '../../common/startup';
import { ICourseManagement, IHubGroups } from '../../tokens';
import type { IJoin } from './start';

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
 * The model, the cards, their command and the notifications of
 * decisions (`start.ts`, with the service's client) are loaded with
 * `import()` when there may be a course to join: not on the page of a
 * student in every course there is (the start-up answer's
 * `coursesToJoin` is empty) until the groups change.
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
  const join: IJoin = {
    app,
    groups,
    launcher,
    managed,
    trans: translator.load('jupyterlab_hub_groups'),
    settingRegistry,
    model: null
  };
  Private.startModel(join);
}

namespace Private {
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
   * Load the working part (`start.ts`, with the model, the cards and the
   * service's client) and start it.
   */
  async function load(join: IJoin): Promise<void> {
    const { startJoin } = await import(
      /* webpackChunkName: "hub-groups-join" */ './start'
    );
    startJoin(join, CommandIDs.join);
  }
}
