/**
 * A course's dialog (loaded with `import()` when a Join card is first
 * opened): ask with a message, join an open course, or withdraw.
 */
import { Dialog, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from '../../common/request';
import { errorMessage } from '../../common/wording';
import { IAskAnswer } from '../client';
import { requestNotices } from './decisions';
import { JoinForm } from './form';
import { IJoinable, JoinModel } from './model';

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
    title = trans.__('Join %1', c.title);
    buttons = [close];
  } else if (c.state === 'pending') {
    title = trans.__('Request to join %1', c.title);
    buttons = [
      close,
      Dialog.warnButton({
        label: trans.__('Withdraw Request'),
        caption: trans.__('Withdraw your request to join %1', c.title)
      })
    ];
    action = async () => {
      try {
        await model.withdraw(c.group);
        return null;
      } catch (reason) {
        console.error('jupyterlab-hub-groups: withdraw failed', reason);
        return Private.failure(reason, trans);
      }
    };
  } else {
    const open = c.enrolment === 'open';
    title = open
      ? trans.__('Join %1', c.title)
      : trans.__('Ask to Join %1', c.title);
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
        console.error('jupyterlab-hub-groups: request to join failed', reason);
        return Private.failure(reason, trans);
      }
      // Replaced by the decision when it comes (decisions.ts).
      requestNotices.set(
        c.group,
        Notification.success(Private.done(c.title, answer, trans), {
          autoClose: 8000
        })
      );
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
  /**
   * Why an action failed, for the dialog's error line.
   */
  export function failure(reason: unknown, trans: TranslationBundle): string {
    const e = HubGroupsError.from(reason);
    switch (e.code) {
      case 'no-access':
        return trans.__(
          'This server may not make requests to join courses: restart your server (File → Hub Control Panel), then try again. Your message is kept.'
        );
      case 'rate-limited':
        return trans.__('%1 Your message is kept.', errorMessage(e, trans));
      case 'closed':
        return errorMessage(e, trans);
      default:
        if (e.unavailable) {
          return trans.__(
            'The enrolment service is unavailable now. Your message is kept: try again later.'
          );
        }
        return trans.__('The request was refused: %1', errorMessage(e, trans));
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
}
