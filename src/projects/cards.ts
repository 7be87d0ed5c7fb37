/**
 * The service's projects as collaboration cards: the same cards, command
 * and dialog as the YAML projects' (`collaboration/cards.ts`), fed by the
 * projects' model. Loaded once there is a project to show, with the
 * collaboration cards' own chunk: a page that may only make projects
 * (the "New Project…" card) never loads them.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { TranslationBundle } from '@jupyterlab/translation';

import { CollaborationCards } from '../collaboration/cards';
import { collaborationUrl } from '../collaboration/model';
import { addCardCommand } from '../common/cardcommand';
import { ProjectsModel } from './model';

/**
 * Add the projects' cards and the command behind them.
 *
 * @param app - The application (its commands).
 * @param model - The projects.
 * @param launcher - The launcher.
 * @param command - The cards' command (args `{ account }`).
 * @param trans - The translation bundle of this package.
 * @returns The cards.
 */
export function addProjectCards(
  app: JupyterFrontEnd,
  model: ProjectsModel,
  launcher: ILauncher,
  command: string,
  trans: TranslationBundle
): CollaborationCards {
  const cards = new CollaborationCards({
    model,
    launcher,
    command,
    trans,
    url: account =>
      collaborationUrl(
        PageConfig.getOption('hubHost'),
        PageConfig.getOption('hubPrefix'),
        account
      )
  });
  addCardCommand(app.commands, command, cards, {
    name: 'account',
    description: trans.__("The project's collaboration account")
  });
  return cards;
}
