/**
 * Declining requests to join, in the instructor's requests section: a
 * confirmation with an optional reason that the students read, and Undo
 * for a short while after (the service allows it for a minute; see
 * `POST .../requests/undecline`).
 *
 * Loaded with the members panel (the instructor's chunk), never on a
 * student's page.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { IUndo } from '../client';
import { button, el } from '../dom';
import { nameList } from '../text';

/**
 * The longest reason the service keeps, in characters (as a message).
 */
export const MAX_REASON = 500;

/**
 * Seconds Undo is offered after a decline: less than the service's 60, so
 * that a click near the end still arrives in time.
 */
export const UNDO_SECONDS = 50;

/**
 * Asks whether to decline, and why; resolves with the reason (maybe
 * empty) to go ahead, or null.
 */
export type AskDecline = (
  users: readonly string[],
  group: string
) => Promise<{ reason: string } | null>;

/**
 * JupyterLab's dialog asking to decline `users`' requests to join `group`,
 * with an optional reason (plain text, shown to them).
 *
 * @param trans - The translation bundle of this package.
 * @returns The question, for the requests section.
 */
export function declineDialog(trans: TranslationBundle): AskDecline {
  return async (users, group) => {
    const one = users.length === 1;
    const body = new ReasonBody(
      one
        ? trans.__(
            '%1 will read that their request to join %2 was declined, and may ask again.',
            users[0],
            group
          )
        : trans.__(
            'The requests of %1 to join %2 will be declined. They may ask again.',
            nameList(users, trans, 10),
            group
          ),
      one
        ? trans.__('Reason (optional; %1 reads it)', users[0])
        : trans.__('Reason (optional; they read it)'),
      trans
    );
    const result = await showDialog({
      title: one
        ? trans.__('Decline the request of %1?', users[0])
        : trans._n(
            'Decline %1 request?',
            'Decline all %1 requests?',
            users.length
          ),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({
          label: one ? trans.__('Decline') : trans.__('Decline All')
        })
      ],
      focusNodeSelector: 'textarea'
    });
    return result.button.accept ? { reason: result.value ?? '' } : null;
  };
}

/**
 * The dialog's body: what happens, and the reason's field.
 */
class ReasonBody extends Widget implements Dialog.IBodyWidget<string> {
  constructor(text: string, label: string, trans: TranslationBundle) {
    super();
    this.addClass('jp-HubGroupsRequests-declineBody');
    const p = el('p', '');
    p.textContent = text;
    const field = el('label', 'jp-HubGroupsRequests-reasonLabel');
    field.textContent = label;
    this._textarea = el(
      'textarea',
      'jp-mod-styled jp-HubGroupsRequests-reason'
    );
    this._textarea.maxLength = MAX_REASON;
    this._textarea.rows = 3;
    this._textarea.dir = 'auto';
    this._textarea.placeholder = trans.__('e.g. The course is full.');
    field.append(this._textarea);
    this.node.append(p, field);
  }

  /**
   * The reason as typed, trimmed ('' for none).
   */
  getValue(): string {
    return this._textarea.value.trim();
  }

  private _textarea: HTMLTextAreaElement;
}

/**
 * Put an Undo button after a decline's sentence, for `seconds`.
 *
 * @param options - Where, whose declines, and what undoing does.
 * @returns What takes the button away (the next result, the section's end).
 */
export function offerUndo(options: {
  node: HTMLElement;
  users: readonly string[];
  trans: TranslationBundle;
  undo: () => Promise<void>;
  seconds?: number;
}): IDisposable {
  const { node, users, trans } = options;
  const undo = button(
    trans.__('Undo'),
    'jp-mod-styled jp-mod-reject jp-HubGroupsRequests-undo'
  );
  undo.setAttribute(
    'aria-label',
    trans.__('Undo declining %1', nameList([...users], trans, 10))
  );
  let disposed = false;
  const offer: IDisposable = {
    get isDisposed() {
      return disposed;
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        clearTimeout(timer);
        undo.remove();
      }
    }
  };
  undo.addEventListener('click', () => {
    if (!disposed) {
      offer.dispose();
      void options.undo();
    }
  });
  const timer = setTimeout(
    () => offer.dispose(),
    (options.seconds ?? UNDO_SECONDS) * 1000
  );
  node.append(' ', undo);
  return offer;
}

/**
 * One sentence on an undo; the users not undone follow it in a list.
 *
 * @param undo - What the service did.
 * @param trans - The translation bundle of this package.
 */
export function undoSummary(undo: IUndo, trans: TranslationBundle): string {
  const n = undo.undone.length;
  const done =
    n === 1
      ? trans.__('Undone: the request of %1 waits again.', undo.undone[0])
      : n
        ? trans._n(
            'Undone: %1 request waits again.',
            'Undone: %1 requests wait again.',
            n
          )
        : '';
  const errors = undo.errors.length;
  const not = errors
    ? trans._n('%1 not undone:', '%1 not undone:', errors)
    : '';
  return [done, not].filter(Boolean).join(' ') || trans.__('Nothing changed.');
}
