import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { errorMessage } from '../../common/wording';
import { el } from '../dom';
import { MAX_MESSAGE, messageLength } from './message';
import { IJoinable, JoinModel, JoinState } from './model';
import { sentence } from './text';

// The dialog's styles come with its code, not on every page's start.
import '../../../style/join.css';

/**
 * The body of a course's dialog: where the request stands, a message to
 * the instructors (with a counter) and what joining brings.
 *
 * #### Notes
 * The message is plain text of at most {@link MAX_MESSAGE} characters,
 * counted as the service counts them (after trimming; tabs become spaces
 * when sent). Over the limit the field is invalid, which keeps the
 * dialog's accept button disabled. What is typed is kept in the model
 * until it is sent, so closing the dialog or a failed request loses
 * nothing.
 *
 * The counter is read with the field (it describes it) but is no live
 * region: a screen reader would say it after every key. A hidden polite
 * region says only when the message comes near the limit
 * ({@link JoinForm.WARN_LEFT} characters left) and when it goes over.
 */
export class JoinForm extends Widget {
  /**
   * @param options - The course, the model and the translation bundle.
   */
  constructor(options: JoinForm.IOptions) {
    super();
    const { course, model, trans } = options;
    this._trans = trans;
    this.addClass('jp-HubGroupsJoin');
    const id = `jp-HubGroupsJoin-${Private.nextId()}`;

    const state = el('p', 'jp-HubGroupsJoin-state');
    state.textContent = sentence(
      course,
      trans,
      'dialog',
      model.error ? errorMessage(model.error, trans) : ''
    );
    this.node.append(state);

    const mine = course.request;
    if (course.state === 'pending' && mine?.message) {
      const label = el('p', 'jp-HubGroupsJoin-label');
      label.textContent = trans.__('Your message:');
      const quote = el('blockquote', 'jp-HubGroupsJoin-sent');
      quote.dir = 'auto';
      quote.textContent = mine.message;
      this.node.append(label, quote);
    }

    if (Private.canAsk(course.state)) {
      const label = el('label', 'jp-HubGroupsJoin-label');
      label.htmlFor = `${id}-message`;
      label.textContent = trans.__('Message to the instructors (optional)');
      const text = el('textarea', 'jp-mod-styled jp-HubGroupsJoin-message');
      text.id = `${id}-message`;
      text.rows = 4;
      text.dir = 'auto';
      // Enter makes a new line (see ActionDialog).
      text.setAttribute('aria-keyshortcuts', 'Control+Enter Meta+Enter');
      text.value = model.draft(course.group);
      const counter = el('p', 'jp-HubGroupsJoin-counter');
      counter.id = `${id}-counter`;
      const limit = el('p', 'jp-sr-only jp-HubGroupsJoin-limit');
      limit.setAttribute('aria-live', 'polite');
      const next = el('p', 'jp-HubGroupsJoin-hint');
      next.id = `${id}-hint`;
      next.textContent = trans.__(
        "Once you are in, the course's cards appear in your launcher. Its kernels and services come at your server's next start (File → Hub Control Panel: stop and start your server)."
      );
      text.setAttribute('aria-describedby', `${counter.id} ${next.id}`);
      text.addEventListener('input', () => {
        model.setDraft(course.group, text.value);
        this._count();
      });
      this.node.append(label, text, counter, limit, next);
      this._text = text;
      this._counter = counter;
      this._limit = limit;
      this._count();
    }

    this._error = el('p', 'jp-HubGroupsJoin-error');
    this._error.setAttribute('role', 'alert');
    this._error.hidden = true;
    this.node.append(this._error);
  }

  /**
   * The message as typed ('' without a message field).
   */
  get message(): string {
    return this._text?.value ?? '';
  }

  /**
   * Whether the message may be sent (not over the limit).
   */
  get valid(): boolean {
    return !this._text || this._text.validity.valid;
  }

  /**
   * The message field, or null (nothing to type in this state).
   */
  get textarea(): HTMLTextAreaElement | null {
    return this._text;
  }

  /**
   * Show why sending failed (null: hide it).
   *
   * @param text - The sentence.
   */
  showError(text: string | null): void {
    this._error.textContent = text ?? '';
    this._error.hidden = !text;
  }

  /**
   * Mark the form as sending (the field read-only meanwhile).
   */
  setBusy(busy: boolean): void {
    this.node.setAttribute('aria-busy', busy ? 'true' : 'false');
    if (this._text) {
      this._text.readOnly = busy;
    }
  }

  private _count(): void {
    const trans = this._trans;
    const n = messageLength(this._text!.value);
    const over = n - MAX_MESSAGE;
    this._counter!.textContent =
      over > 0
        ? trans._n(
            '%2 / %3 characters: %1 too many',
            '%2 / %3 characters: %1 too many',
            over,
            n,
            MAX_MESSAGE
          )
        : trans.__('%1 / %2 characters', n, MAX_MESSAGE);
    this._announce(n);
    const wasValid = this._text!.validity.valid;
    this._counter!.classList.toggle('jp-mod-error', over > 0);
    this._text!.setCustomValidity(
      over > 0
        ? trans.__('A message has at most %1 characters.', MAX_MESSAGE)
        : ''
    );
    if (wasValid !== this._text!.validity.valid) {
      // JupyterLab's dialog checks its fields on `input`, before this
      // field's own listener ran: tell it again, from outside the field.
      this.node.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }

  /**
   * Fill the live region when the message comes near the limit or goes
   * over it; empty it when the message is short again. Nothing is said
   * while the message stays where it was.
   */
  private _announce(n: number): void {
    const trans = this._trans;
    const left = MAX_MESSAGE - n;
    const zone =
      left < 0 ? 'over' : left <= JoinForm.WARN_LEFT ? 'near' : 'far';
    if (zone === this._zone) {
      return;
    }
    this._zone = zone;
    this._limit!.textContent =
      zone === 'over'
        ? trans._n(
            'The message is %1 character too long',
            'The message is %1 characters too long',
            -left
          )
        : zone === 'near'
          ? trans._n('%1 character left', '%1 characters left', left)
          : '';
  }

  private _trans: TranslationBundle;
  private _text: HTMLTextAreaElement | null = null;
  private _counter: HTMLElement | null = null;
  private _limit: HTMLElement | null = null;
  private _zone: 'far' | 'near' | 'over' = 'far';
  private _error: HTMLElement;
}

/**
 * A namespace for JoinForm statics.
 */
export namespace JoinForm {
  /**
   * How many characters left are said (once) by the hidden live region.
   */
  export const WARN_LEFT = 50;

  /**
   * Options to create the form.
   */
  export interface IOptions {
    /** The course, as its card shows it. */
    course: IJoinable;
    /** The model (drafts, the last error). */
    model: JoinModel;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
  }
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for a form.
   */
  export function nextId(): number {
    return ++lastId;
  }

  /**
   * Whether a message can be sent in this state.
   */
  export function canAsk(state: JoinState): boolean {
    return state !== 'pending' && state !== 'no-access';
  }
}
