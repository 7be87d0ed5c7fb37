import type { TranslationBundle } from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';

import { addCardCommand } from '../../common/cardcommand';
import { ModelCards } from '../../common/modelcards';
import { CourseManagementModel } from './manage';

/**
 * The command behind the Manage cards: "Manage <course>" (its title,
 * else its group's name), and how many requests to join wait there
 * ("Manage <course> · 2 waiting"); it opens
 * the group's panel with the courses plugin's command.
 *
 * #### Notes
 * A command of its own, added with the instructor's side (this chunk):
 * the plugin's command, on every page's start path, says nothing of
 * requests, whose model comes with this side.
 */
export const MANAGE_CARD_COMMAND = 'hub-groups:manage-course-card';

/**
 * The launcher's "Manage <group>" cards: one per group the user may
 * manage, in the group's own category (where the course's cards are),
 * after the course's own cards.
 *
 * @param options - The groups the user may manage, the launcher, the
 *   command a card runs (with `{ group }`), and how many requests wait in
 *   a group (a card is drawn again when its count changes).
 * @returns The cards; they come and go with the hub's answer, without a
 *   reload, until disposed (call `update()` when the counts change).
 */
export function manageCards(options: {
  model: CourseManagementModel;
  launcher: ModelCards.ILauncherLike;
  command: string;
  waiting?: (group: string) => number;
}): ModelCards<CourseManagementModel> {
  const { command, waiting } = options;
  return new ModelCards({
    model: options.model,
    launcher: options.launcher,
    cards: model =>
      model.groups.map(group => ({
        key: group,
        item: { command, args: { group }, category: group, rank: 100 },
        version: String(waiting?.(group) ?? 0)
      }))
  });
}

/**
 * Add the Manage cards' command ({@link MANAGE_CARD_COMMAND}).
 *
 * @param commands - The application's commands.
 * @param options - The command that opens a group's panel, the bundle,
 *   the icon, and how many requests wait in a group.
 * @returns The command's disposable.
 */
export function addManageCardCommand(
  commands: CommandRegistry,
  options: {
    open: string;
    trans: TranslationBundle;
    icon: LabIcon;
    waiting: (group: string) => number;
    /** What people read for a group (its course's title, else its name). */
    titleOf: (group: string) => string;
  }
): IDisposable {
  const { trans, waiting } = options;
  const group = (args: { group?: unknown }) => String(args.group ?? '');
  const title = (args: { group?: unknown }) => options.titleOf(group(args));
  return addCardCommand(
    commands,
    MANAGE_CARD_COMMAND,
    {
      label: args => {
        const n = waiting(group(args));
        return n
          ? trans._n(
              'Manage %2 · %1 waiting',
              'Manage %2 · %1 waiting',
              n,
              title(args)
            )
          : trans.__('Manage %1', title(args));
      },
      caption: args => {
        const n = waiting(group(args));
        return n
          ? trans._n(
              'Add and remove the members of %2; %1 request to join waits for your decision',
              'Add and remove the members of %2; %1 requests to join wait for your decision',
              n,
              title(args)
            )
          : trans.__('Add and remove the members of %1', title(args));
      },
      icon: () => options.icon,
      open: args => commands.execute(options.open, { group: group(args) })
    },
    {
      name: 'group',
      description: trans.__('The hub group whose members to manage')
    }
  );
}
