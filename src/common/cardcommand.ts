import { LabIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';

/**
 * What the command behind a kind of card needs: its label, caption and
 * icon for the card's args, and what opening a card does.
 */
export interface ICardCommand {
  /** The card's label. */
  label(args: ReadonlyPartialJSONObject): string;
  /** The card's tooltip. */
  caption(args: ReadonlyPartialJSONObject): string;
  /** The card's icon. */
  icon(args: ReadonlyPartialJSONObject): LabIcon | undefined;
  /** Open the card (a dialog, a tab). */
  open(args: ReadonlyPartialJSONObject): unknown;
}

/**
 * Add the command behind a kind of card: one argument, a string that says
 * which card (`{ account }`, `{ id }`, `{ group }`).
 *
 * @param commands - The application's commands.
 * @param id - The command's id.
 * @param cards - What the command says and does.
 * @param arg - The argument's name and its description (translated).
 * @returns The command's disposable.
 *
 * #### Notes
 * Apart from `ModelCards` (`modelcards.ts`): a plugin adds the command at
 * start, the cards' code comes when there is a card to show.
 */
export function addCardCommand(
  commands: CommandRegistry,
  id: string,
  cards: ICardCommand,
  arg: { name: string; description: string }
): IDisposable {
  return commands.addCommand(id, {
    label: args => cards.label(args),
    caption: args => cards.caption(args),
    icon: args => cards.icon(args),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          [arg.name]: { type: 'string', description: arg.description }
        },
        required: [arg.name]
      }
    },
    execute: args => cards.open(args) as any
  });
}
