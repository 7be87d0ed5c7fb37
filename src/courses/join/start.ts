/**
 * The Join cards' working part, loaded by the plugin (`plugin.ts`) when
 * there may be a course to join: the model, the cards and their command,
 * and what the user is told of decisions.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { addCardCommand } from '../../common/cardcommand';
import { followSettings } from '../../common/settings';
import { ICourseManagement, IHubGroups } from '../../tokens';
import { EnrolmentClient } from '../client';
import { JoinCards } from './cards';
import { followDecisions } from './decisions';
import { JoinModel } from './model';

/**
 * What the plugin's parts share.
 */
export interface IJoin {
  readonly app: JupyterFrontEnd;
  readonly groups: IHubGroups;
  readonly launcher: ILauncher;
  readonly managed: ICourseManagement | null;
  readonly trans: TranslationBundle;
  /** The settings registry: the plugin's `interval` is read once the
   *  model is made (here, not at every page's start). */
  readonly settingRegistry: ISettingRegistry | null;
  /** The model, once loaded (null on someone else's server). */
  model: JoinModel | null;
}

/**
 * On this page's own server, create the model, the cards and their
 * command, and start reading.
 *
 * @param join - What the plugin has; `model` is set here.
 * @param command - The command behind a "Join <course>" card.
 */
export function startJoin(join: IJoin, command: string): void {
  const client = EnrolmentClient.fromPage();
  if (!client) {
    return; // someone else's server
  }
  const { app, groups, trans } = join;
  const model = new JoinModel({ client });
  join.model = model;
  followSettings(join.settingRegistry, 'jupyterlab-hub-groups:enrolment', s => {
    model.interval = s.get('interval').composite as number;
  });

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
    command,
    trans
  });
  followDecisions(model, {
    commands: app.commands,
    joinCommand: command,
    trans
  });
  addCardCommand(app.commands, command, cards, {
    name: 'group',
    description: trans.__('The course to join')
  });
  model.start();
}
