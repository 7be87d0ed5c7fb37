import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { addCardCommand, ICardCommand } from '../../common/cardcommand';

/**
 * Cards keyed by `{ id }`: what the command says and what opening did.
 */
class Cards implements ICardCommand {
  opened: unknown[] = [];
  label(args: ReadonlyPartialJSONObject): string {
    return `Card ${args.id}`;
  }
  caption(args: ReadonlyPartialJSONObject): string {
    return `About ${args.id}`;
  }
  icon(): undefined {
    return undefined;
  }
  open(args: ReadonlyPartialJSONObject): Promise<string> {
    this.opened.push(args.id);
    return Promise.resolve(`opened ${args.id}`);
  }
}

describe('addCardCommand', () => {
  it('says what the cards say for the args, opens a card, and describes its one argument', async () => {
    const commands = new CommandRegistry();
    const cards = new Cards();
    const added = addCardCommand(commands, 'test:open-card', cards, {
      name: 'id',
      description: 'The card'
    });
    expect(commands.label('test:open-card', { id: 'a' })).toBe('Card a');
    expect(commands.caption('test:open-card', { id: 'a' })).toBe('About a');
    expect(await commands.execute('test:open-card', { id: 'b' })).toBe(
      'opened b'
    );
    expect(cards.opened).toEqual(['b']);
    const described = await commands.describedBy('test:open-card');
    expect(described.args).toEqual({
      type: 'object',
      properties: { id: { type: 'string', description: 'The card' } },
      required: ['id']
    });
    added.dispose();
    expect(commands.hasCommand('test:open-card')).toBe(false);
  });
});
