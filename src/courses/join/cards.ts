import { Dialog, Notification } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { ICourseManagement, IHubGroups } from '../../tokens';
import { courseJoinIcon } from '../icon';
import { IJoinable, JoinModel, JoinState } from './model';
import {
  EnrolmentError,
  IAskAnswer,
  MAX_MESSAGE,
  messageLength
} from '../client';
import { el } from '../dom';

/**
 * The launcher's "Join <course>" cards, in a "Courses" category: one per
 * course the user may ask to join (or join) and is not in, showing where
 * their request stands, and the dialog a card opens.
 *
 * #### Notes
 * A card shows its state as the collaboration cards do: in its label
 * ("Join Class1234_Semester02 · Pending") and as a badge on its icon; its
 * tooltip says more. A card is added again when its state changes, since
 * open launchers draw a card again only when the launcher changes. A
 * course the groups service says the user is in has no card, whatever the
 * enrolment service said last, nor one the user manages (its instructors
 * have its "Manage" card instead).
 */
export class JoinCards implements IDisposable {
  /**
   * @param options - The model, the groups service, the launcher, the
   *   cards' command and the translation bundle.
   */
  constructor(options: JoinCards.IOptions) {
    this._model = options.model;
    this._groups = options.groups;
    this._managed = options.managed ?? null;
    this._launcher = options.launcher;
    this._command = options.command;
    this._trans = options.trans;
    this._model.changed.connect(this._sync, this);
    this._groups.changed.connect(this._sync, this);
    this._managed?.changed.connect(this._sync, this);
    this._sync();
  }

  /**
   * Whether the cards are disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * The label of a card: "Join <course>", and its state unless it may
   * simply be joined (e.g. "Join Class1234_Semester02 · Pending").
   *
   * @param args - The command's args, `{ group }`.
   */
  label(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    if (!c) {
      return typeof args.group === 'string'
        ? this._trans.__('Join %1', args.group)
        : this._trans.__('Join a Course');
    }
    return c.state === 'open'
      ? this._trans.__('Join %1', c.group)
      : this._trans.__(
          'Join %1 · %2',
          c.group,
          Private.stateText(c.state, this._trans)
        );
  }

  /**
   * The caption (tooltip) of a card: a sentence on its state.
   *
   * @param args - The command's args, `{ group }`.
   */
  caption(args: ReadonlyPartialJSONObject): string {
    const c = this._of(args);
    return c ? Private.caption(c, this._trans) : '';
  }

  /**
   * The icon of a card: a mortarboard with a badge of the state.
   *
   * @param args - The command's args, `{ group }`.
   * @returns The icon, whose container has the classes
   *   `jp-HubGroupsJoin-status jp-mod-<state>`.
   */
  icon(args: ReadonlyPartialJSONObject): LabIcon {
    return Private.statusIcon(this._of(args)?.state ?? 'unavailable');
  }

  /**
   * Show a course's dialog: ask (with a message), join, or withdraw.
   *
   * @param args - The command's args, `{ group }`.
   * @returns What the service did, or null (closed, nothing done).
   */
  async open(args: ReadonlyPartialJSONObject): Promise<IAskAnswer | null> {
    const c = this._of(args);
    if (!c) {
      return null;
    }
    // The dialog opens at once (the user wants to type); the state is
    // read again meanwhile, and the next dialog shows it.
    void this._model.refresh().catch(() => undefined);
    return Private.showJoin(c, this._model, this._trans);
  }

  /**
   * Remove every card and stop following the model. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.changed.disconnect(this._sync, this);
    this._groups.changed.disconnect(this._sync, this);
    this._managed?.changed.disconnect(this._sync, this);
    for (const { card } of this._cards.values()) {
      card.dispose();
    }
    this._cards.clear();
  }

  private _joinable(): IJoinable[] {
    return this._model.joinable(
      new Set([...this._groups.groups, ...(this._managed?.groups ?? [])])
    );
  }

  private _of(args: ReadonlyPartialJSONObject): IJoinable | undefined {
    return this._joinable().find(c => c.group === args.group);
  }

  private _sync(): void {
    const seen = new Set<string>();
    for (const c of this._joinable()) {
      seen.add(c.group);
      const key = c.state;
      if (this._cards.get(c.group)?.key === key) {
        continue;
      }
      this._cards.get(c.group)?.card.dispose();
      this._cards.set(c.group, {
        key,
        card: this._launcher.add({
          command: this._command,
          args: { group: c.group },
          category: this._trans.__('Courses'),
          rank: 0
        })
      });
    }
    for (const [group, { card }] of this._cards) {
      if (!seen.has(group)) {
        card.dispose();
        this._cards.delete(group);
      }
    }
  }

  private _model: JoinModel;
  private _groups: IHubGroups;
  private _managed: ICourseManagement | null;
  private _launcher: ILauncher;
  private _command: string;
  private _trans: TranslationBundle;
  private _cards = new Map<string, { key: string; card: IDisposable }>();
  private _isDisposed = false;
}

/**
 * A namespace for JoinCards statics.
 */
export namespace JoinCards {
  /**
   * Options to create the cards.
   */
  export interface IOptions {
    /** The courses one may join. */
    model: JoinModel;
    /** The groups service: courses it lists have no card. */
    groups: IHubGroups;
    /** The groups the user manages: no card either. */
    managed?: ICourseManagement | null;
    /** The launcher the cards go to. */
    launcher: ILauncher;
    /** The command a card runs, with `{ group }` as args. */
    command: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
  }
}

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
    state.textContent = Private.explanation(course, model.error, trans);
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

/**
 * JupyterLab's dialog, kept open while its accept button's action runs and
 * when it fails (the form shows why; what was typed stays).
 */
class ActionDialog extends Dialog<void> {
  constructor(
    options: Partial<Dialog.IOptions<void>> & {
      buttons: Dialog.IButton[];
      defaultButton: number;
      form: JoinForm;
      action: (() => Promise<string | null>) | null;
    }
  ) {
    super(options);
    this._buttonList = options.buttons;
    this._defaultIndex = options.defaultButton;
    this._form = options.form;
    this._action = options.action;
  }

  /**
   * Resolve with a button: an accept button runs the action first and
   * resolves only if it succeeded.
   */
  resolve(index?: number): void {
    const i = index ?? this._defaultIndex;
    const chosen = this._buttonList[i];
    if (this._sending) {
      return;
    }
    if (!chosen?.accept || !this._action) {
      super.resolve(index);
      return;
    }
    if (!this._form.valid) {
      this._form.textarea?.focus();
      return;
    }
    this._sending = true;
    this._setBusy(true);
    void this._action().then(error => {
      this._sending = false;
      if (this.isDisposed) {
        return; // closed meanwhile (Escape): the card shows the outcome
      }
      this._setBusy(false);
      if (error === null) {
        super.resolve(i);
      } else {
        this._form.showError(error);
        (this._form.textarea ?? this._footerButtons()[i])?.focus();
      }
    });
  }

  /**
   * Enter in the message makes a new line, Ctrl+Enter (⌘+Enter) sends;
   * elsewhere JupyterLab's dialog keys apply.
   *
   * #### Notes
   * JupyterLab's dialog takes every Enter in its capture phase, and in a
   * text area does nothing with it: no line break could be typed.
   */
  protected _evtKeydown(event: KeyboardEvent): void {
    if (
      event.key === 'Enter' &&
      event.target instanceof HTMLTextAreaElement &&
      this.node.contains(event.target)
    ) {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        event.stopPropagation();
        this.resolve();
      }
      return; // the text area's own: a new line
    }
    super._evtKeydown(event);
  }

  private _footerButtons(): HTMLButtonElement[] {
    return Array.from(
      this.node.querySelectorAll<HTMLButtonElement>('.jp-Dialog-footer button')
    );
  }

  private _setBusy(busy: boolean): void {
    this._form.setBusy(busy);
    if (busy) {
      this._form.showError(null);
    }
    for (const b of this._footerButtons()) {
      b.disabled = busy;
    }
  }

  private _buttonList: Dialog.IButton[];
  private _defaultIndex: number;
  private _form: JoinForm;
  private _action: (() => Promise<string | null>) | null;
  private _sending = false;
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
   * The mortarboard with a state badge, one view per state, made once (so
   * that React keeps the card's icon element).
   */
  export function statusIcon(state: JoinState): LabIcon {
    let icon = icons.get(state);
    if (!icon) {
      icon = courseJoinIcon.bindprops({
        className: `jp-HubGroupsJoin-status jp-mod-${state}`
      });
      icons.set(state, icon);
    }
    return icon;
  }

  const icons = new Map<JoinState, LabIcon>();

  /**
   * Whether a message can be sent in this state.
   */
  export function canAsk(state: JoinState): boolean {
    return state !== 'pending' && state !== 'no-access';
  }

  /**
   * The state, as the card's label ends.
   */
  export function stateText(
    state: JoinState,
    trans: TranslationBundle
  ): string {
    switch (state) {
      case 'request':
        return trans.__('Request to join');
      case 'open':
        return trans.__('Join');
      case 'pending':
        return trans.__('Pending');
      case 'declined':
        return trans.__('Declined — ask again');
      case 'unavailable':
        return trans.__('Enrolment unavailable');
      case 'no-access':
        return trans.__('Restart your server');
    }
  }

  /**
   * A date of the service (ISO 8601) for people, or '' if unknown.
   */
  export function date(iso: string | null | undefined): string {
    const d = iso ? new Date(iso) : null;
    return d && !isNaN(d.getTime()) ? d.toLocaleString() : '';
  }

  /**
   * The card's tooltip.
   */
  export function caption(c: IJoinable, trans: TranslationBundle): string {
    switch (c.state) {
      case 'request':
        return trans.__('Ask the instructors of %1 to let you in', c.group);
      case 'open':
        return trans.__('%1 is open: join it at once', c.group);
      case 'pending':
        return trans.__(
          'You asked to join %1 (%2); an instructor has not decided yet',
          c.group,
          date(c.request?.created)
        );
      case 'declined':
        return trans.__(
          'An instructor declined your request to join %1; you may ask again',
          c.group
        );
      case 'unavailable':
        return trans.__(
          'Requests to join %1 cannot be made now: the enrolment service is unavailable',
          c.group
        );
      case 'no-access':
        return trans.__(
          'Restart your server to ask to join %1 (it was started before requests to join courses existed)',
          c.group
        );
    }
  }

  /**
   * The dialog's first paragraph: where things stand.
   */
  export function explanation(
    c: IJoinable,
    error: string | null,
    trans: TranslationBundle
  ): string {
    switch (c.state) {
      case 'request':
        return trans.__(
          'Ask the instructors of %1 to let you in. They decide; you see their answer on this card.',
          c.group
        );
      case 'open':
        return trans.__('%1 is open: you join it at once.', c.group);
      case 'pending':
        return trans.__(
          'You asked to join %1 on %2. An instructor has not decided yet; you may withdraw your request.',
          c.group,
          date(c.request?.created)
        );
      case 'declined':
        return trans.__(
          'An instructor declined your request to join %1 (%2). You may ask again, perhaps saying more in your message.',
          c.group,
          date(c.request?.decided)
        );
      case 'unavailable':
        return trans.__(
          'The enrolment service cannot be reached now (%1). You may try anyway; if it fails, your message is kept for the next try.',
          error ?? ''
        );
      case 'no-access':
        return trans.__(
          'Your server was started before requests to join courses existed, so this page may not make them. Restart your server (File → Hub Control Panel: Stop My Server, then Start My Server), then ask to join %1.',
          c.group
        );
    }
  }

  /**
   * Why an action failed, for the dialog's error line.
   */
  export function failure(reason: unknown, trans: TranslationBundle): string {
    const e =
      reason instanceof EnrolmentError
        ? reason
        : new EnrolmentError(0, 'unavailable', String(reason));
    switch (e.code) {
      case 'no-access':
        return trans.__(
          'This server may not make requests to join courses: restart your server (File → Hub Control Panel), then try again. Your message is kept.'
        );
      case 'rate-limited': {
        const seconds = e.retryAfter ?? 60;
        const wait =
          seconds < 60
            ? trans._n('%1 second', '%1 seconds', seconds)
            : trans._n('%1 minute', '%1 minutes', Math.ceil(seconds / 60));
        return trans.__(
          'You made too many requests to join courses: try again in %1. Your message is kept.',
          wait
        );
      }
      case 'closed':
        return trans.__('This course takes no requests to join now.');
      default:
        if (e.unavailable) {
          return trans.__(
            'The enrolment service is unavailable now. Your message is kept: try again later.'
          );
        }
        // The service's own sentence (it has no translation).
        return trans.__('The request was refused: %1', e.message);
    }
  }

  /**
   * What the user is told once the service did what they asked.
   */
  export function done(
    group: string,
    answer: IAskAnswer,
    trans: TranslationBundle
  ): string {
    switch (answer.state) {
      case 'pending':
        return trans.__(
          'Your request to join %1 is with its instructors.',
          group
        );
      case 'member':
        return trans.__('You are in %1 already.', group);
      default:
        return trans.__(
          "You joined %1. Its kernels and services come at your server's next start.",
          group
        );
    }
  }

  /**
   * Show a course's dialog and do what the user chooses.
   */
  export async function showJoin(
    c: IJoinable,
    model: JoinModel,
    trans: TranslationBundle
  ): Promise<IAskAnswer | null> {
    const form = new JoinForm({ course: c, model, trans });
    const close = Dialog.cancelButton({ label: trans.__('Close') });
    let buttons: Dialog.IButton[];
    let action: (() => Promise<string | null>) | null = null;
    let answer: IAskAnswer | null = null;
    let title: string;
    if (c.state === 'no-access') {
      title = trans.__('Join %1', c.group);
      buttons = [close];
    } else if (c.state === 'pending') {
      title = trans.__('Request to join %1', c.group);
      buttons = [
        close,
        Dialog.warnButton({
          label: trans.__('Withdraw Request'),
          caption: trans.__('Withdraw your request to join %1', c.group)
        })
      ];
      action = async () => {
        try {
          await model.withdraw(c.group);
          return null;
        } catch (reason) {
          console.error('jupyterlab-hub-groups: withdraw failed', reason);
          return failure(reason, trans);
        }
      };
    } else {
      const open = c.enrolment === 'open';
      title = open
        ? trans.__('Join %1', c.group)
        : trans.__('Ask to Join %1', c.group);
      buttons = [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({
          label: open
            ? trans.__('Join Now')
            : c.state === 'declined'
              ? trans.__('Ask Again')
              : trans.__('Send Request')
        })
      ];
      action = async () => {
        try {
          answer = await model.ask(c.group, form.message);
        } catch (reason) {
          console.error(
            'jupyterlab-hub-groups: request to join failed',
            reason
          );
          return failure(reason, trans);
        }
        Notification.success(done(c.group, answer, trans), {
          autoClose: 8000
        });
        return null;
      };
    }
    const dialog = new ActionDialog({
      title,
      body: form,
      buttons,
      // Ctrl+Enter in the message, or Enter on no button, sends; nothing
      // withdraws by default (Close is the default then).
      defaultButton: c.state === 'pending' ? 0 : buttons.length - 1,
      focusNodeSelector: form.textarea ? 'textarea' : undefined,
      form,
      action
    });
    dialog.addClass('jp-HubGroupsJoin-dialog');
    await dialog.launch();
    return answer;
  }
}
