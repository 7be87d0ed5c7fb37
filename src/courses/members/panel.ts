import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { errorMessage } from '../../common/wording';
import { button, el, nameErrorItems, section } from '../dom';
import { CourseRequestsModel } from '../requests/model';
import { RequestsSection } from '../requests/view';
import { AddManySection } from './addmany';
import { AddOneSection } from './addone';
import { confirmDialog, errorDialog } from './dialogs';
import { CourseMembersModel } from './model';
import { INamesRead } from './names';
import { MembersTable } from './table';
import {
  closedText,
  errorText,
  resultSummary,
  statusText,
  undoLabel
} from './text';

// The panel's styles come with its code, not on every page's start.
import '../../../style/members.css';

/**
 * The "Course members" panel of one group: its members (with a filter and a
 * count), adding one person (with completion), adding many (pasted or from
 * a CSV file, previewed first), removing (after a confirmation) and undoing
 * the last change.
 *
 * #### Notes
 * Every control is a native one (form fields, buttons, tables with column
 * headers), so the panel works with the keyboard and screen readers; what
 * a change did is announced by a polite live region, and so is a preview;
 * it is shown above the members list, and goes when the next action starts.
 * Names come from people and the hub: they are always set as text. The
 * model reads the members only while the panel is shown. With a requests
 * model, the requests to join the course come first (see
 * `RequestsSection`), and an approval reads the members again.
 */
export class CourseMembersPanel extends Widget {
  /**
   * @param options - The model, the translation bundle, and the dialogs.
   */
  constructor(options: CourseMembersPanel.IOptions) {
    super();
    this.model = options.model;
    this.requests = options.requests ?? null;
    this._trans = options.trans;
    this._confirm = options.confirm ?? confirmDialog;
    this._showError =
      options.showError ??
      ((title, reason) => errorDialog(title, reason, this._trans));
    this.addClass('jp-HubGroupsCourse');
    const id = Private.nextId();
    this._table = new MembersTable({
      id,
      labelledBy: `${id}-members`,
      trans: this._trans,
      onRemove: name => void this._removeOne(name)
    });
    this._build(id, options.title ?? this.model.group);
    this.model.changed.connect(this._render, this);
    this._render();
  }

  /**
   * The members of the group shown.
   */
  readonly model: CourseMembersModel;

  /**
   * The requests to join the course, or null (no enrolment service here).
   */
  readonly requests: CourseRequestsModel | null;

  /**
   * Stop following the models. Idempotent; the models are the caller's.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._setActive(false);
    this._requestsSection?.dispose();
    this.model.changed.disconnect(this._render, this);
    this._one.dispose();
    super.dispose();
  }

  /**
   * Show the members whose names match `text`.
   *
   * @param text - The filter; empty shows everyone.
   */
  setFilter(text: string): void {
    this._table.setFilter(text);
  }

  /**
   * Preview adding names read from a paste or a file: one request (per
   * 5000 names); nothing changes until "Add" is pressed.
   *
   * @param read - The names, folded.
   * @returns Resolves once the preview is shown (or has failed).
   */
  preview(read: INamesRead): Promise<void> {
    return this._many.preview(read);
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._setActive(this.isVisible);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._setActive(true);
  }

  protected onBeforeHide(msg: Message): void {
    super.onBeforeHide(msg);
    this._setActive(false);
  }

  protected onBeforeDetach(msg: Message): void {
    this._setActive(false);
    super.onBeforeDetach(msg);
  }

  /**
   * Keep the models fresh while the panel is shown, and only then.
   */
  private _setActive(active: boolean): void {
    this.model.active = active;
    if (this.requests) {
      this.requests.active = active;
    }
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    // A click inside activates the panel too: leave the focus where it went
    // (moving it would scroll the panel away from under the pointer).
    if (!this.node.contains(document.activeElement)) {
      this._one.focus();
    }
  }

  /**
   * Create the panel's parts once; `_render` fills them in.
   */
  private _build(id: string, shownAs: string): void {
    const trans = this._trans;

    const header = el('header', 'jp-HubGroupsCourse-header');
    const title = el('h2', 'jp-HubGroupsCourse-title');
    title.textContent = trans.__('Members of %1', shownAs);
    this._status = el('p', 'jp-HubGroupsCourse-status');
    this._refresh = button(
      trans.__('Refresh'),
      'jp-Button jp-mod-minimal jp-mod-small'
    );
    this._refresh.title = trans.__('Read the members from the hub again');
    this._refresh.addEventListener('click', () => {
      void this.model.refresh();
    });
    const statusLine = el('div', 'jp-HubGroupsCourse-statusLine');
    statusLine.append(this._status, this._refresh);
    header.append(title, statusLine);

    this._notice = el('p', 'jp-HubGroupsCourse-notice');
    this._notice.setAttribute('role', 'alert');
    this._notice.hidden = true;

    // Adding one person, with completion.
    this._one = new AddOneSection({
      id,
      model: this.model,
      trans,
      run: (title, change, neverSent) => this._run(title, change, neverSent)
    });

    // Adding many: pasted or from a CSV file, previewed first.
    this._many = new AddManySection({
      id,
      model: this.model,
      trans,
      host: {
        run: (title, change, neverSent) => this._run(title, change, neverSent),
        failed: (title, reason) => this._failed(title, reason),
        say: message => this._say(message),
        announce: message => this._announce(message),
        render: () => this._render(),
        applied: () => (this._undo.hidden ? null : this._undo)
      }
    });

    // The last change: what it did, name by name, and its undo, above
    // the list it changed (where the eye is after an action).
    const result = el('div', 'jp-HubGroupsCourse-result');
    this._message = el('p', 'jp-HubGroupsCourse-message');
    this._message.setAttribute('role', 'status');
    this._errors = el('ul', 'jp-HubGroupsCourse-errors');
    this._errors.setAttribute('aria-label', trans.__('Names not changed'));
    this._errors.hidden = true;
    this._undo = button(
      trans.__('Undo'),
      'jp-mod-styled jp-mod-reject jp-HubGroupsCourse-undo'
    );
    this._undo.addEventListener('click', () => void this._undoLast());
    result.append(this._message, this._errors, this._undo);
    // Previews are announced, not shown twice.
    this._announcer = el('div', 'jp-sr-only');
    this._announcer.setAttribute('aria-live', 'polite');

    // The members.
    const members = section('jp-HubGroupsCourse-members', `${id}-members`);
    members.heading.textContent = trans.__('Members');
    members.node.append(...this._table.nodes);

    const left = el('div', 'jp-HubGroupsCourse-column');
    left.append(this._one.node, this._many.node);
    const right = el('div', 'jp-HubGroupsCourse-column');
    right.append(result, members.node);
    this._body = el('div', 'jp-HubGroupsCourse-body');
    this._body.append(left, right);
    this.node.append(header, this._notice);
    if (this.requests) {
      // Above everything else: what waits for the instructor's decision.
      this._requestsSection = new RequestsSection({
        model: this.requests,
        id,
        trans,
        confirm: this._confirm,
        onDecided: (decision, approve) => {
          if (approve && decision.approved.length) {
            // The service added them: a members read in flight was sent
            // before, and may not list them.
            void this.model.readAgain();
          }
        },
        onFailed: async (title, reason) => {
          console.error(`jupyterlab-hub-groups: ${title}`, reason);
          await this._showError(title, reason);
        }
      });
      this.node.append(this._requestsSection.node);
    }
    this.node.append(this._body, this._announcer);
  }

  /**
   * Fill the parts in from the model.
   */
  private _render(): void {
    const trans = this._trans;
    const model = this.model;
    const status = model.status;
    const busy = model.busy || this._many.previewing;
    this.node.setAttribute('aria-busy', busy ? 'true' : 'false');
    this.node.dataset.status = status;

    this._status.textContent = statusText(model, trans);
    this._status.title = model.lastUpdated
      ? trans.__('Read from the hub at %1', model.lastUpdated.toLocaleString())
      : '';
    const closed = status === 'refused' || status === 'absent';
    this._notice.hidden = !closed;
    this._notice.textContent = closedText(model, trans);
    this._body.hidden = closed;

    const readOnly = busy || status === 'loading' || status === 'unavailable';
    this._one.setReadOnly(readOnly);
    this._many.setReadOnly(readOnly);
    this._refresh.disabled = model.busy;
    const last = model.lastChange;
    this._undo.hidden = !last;
    this._undo.disabled = busy;
    this._undo.textContent = last ? undoLabel(last, trans) : '';

    this._table.update(model.members, {
      busy,
      loading: status === 'loading'
    });
  }

  private async _removeOne(name: string): Promise<void> {
    const trans = this._trans;
    const ok = await this._confirm({
      title: trans.__('Remove %1?', name),
      body: trans.__(
        '%1 will no longer be a member of %2. You can undo this afterwards.',
        name,
        this.model.group
      ),
      accept: trans.__('Remove')
    });
    if (!ok) {
      return;
    }
    const next = this._table.neighbour(name);
    const result = await this._run(trans.__('Cannot remove %1', name), () =>
      this.model.remove([name])
    );
    if (result) {
      (next?.isConnected ? next : this._undo).focus();
    }
  }

  private async _undoLast(): Promise<void> {
    const trans = this._trans;
    const result = await this._run(trans.__('Cannot undo'), () =>
      this.model.undo()
    );
    if (result) {
      this._message.textContent = `${trans.__('Undone.')} ${this._message.textContent}`;
      this._table.filter.focus();
    }
  }

  /**
   * Run a change and say what it did, name by name; a failure of the
   * whole request is shown in a dialog.
   *
   * @param failure - The dialog's title if the request fails.
   * @param change - The change.
   * @param neverSent - Names too long to send: reported as invalid.
   */
  private async _run(
    failure: string,
    change: () => Promise<CourseMembersModel.IResult | null>,
    neverSent: readonly string[] = []
  ): Promise<CourseMembersModel.IResult | null> {
    const trans = this._trans;
    // A new action: the last one's result lines go.
    this._say('');
    try {
      const result = await change();
      if (result) {
        const errors = [
          ...neverSent.map(name => ({
            name,
            error: 'invalid',
            message: trans.__('A user name has at most 255 characters.')
          })),
          ...result.errors
        ];
        this._say(
          resultSummary(result, errors.length, this.model.group, trans),
          errors
        );
      }
      return result;
    } catch (reason) {
      await this._failed(failure, reason);
      return null;
    }
  }

  private async _failed(title: string, reason: unknown): Promise<void> {
    const message = errorMessage(reason, this._trans);
    console.error(`jupyterlab-hub-groups: ${title}`, reason);
    this._say(this._trans.__('%1: %2', title, message));
    await this._showError(title, reason);
  }

  /**
   * Say what a change did (the live region), with the names it concerns.
   */
  private _say(
    message: string,
    errors: readonly CourseMembersModel.INameError[] = []
  ): void {
    const trans = this._trans;
    this._message.textContent = message;
    const items = nameErrorItems(errors, e => errorText(e, trans));
    this._errors.replaceChildren(...items);
    this._errors.hidden = !items.length;
  }

  /**
   * Tell screen readers about something shown elsewhere (a preview).
   */
  private _announce(message: string): void {
    this._announcer.textContent = message;
  }

  private _trans: TranslationBundle;
  private _confirm: CourseMembersPanel.Confirm;
  private _showError: (title: string, reason: unknown) => Promise<void>;
  private _table: MembersTable;
  private _status!: HTMLElement;
  private _refresh!: HTMLButtonElement;
  private _notice!: HTMLElement;
  private _body!: HTMLElement;
  private _one!: AddOneSection;
  private _many!: AddManySection;
  private _message!: HTMLElement;
  private _errors!: HTMLElement;
  private _undo!: HTMLButtonElement;
  private _announcer!: HTMLElement;
  private _requestsSection: RequestsSection | null = null;
}

/**
 * A namespace for CourseMembersPanel statics.
 */
export namespace CourseMembersPanel {
  /**
   * Asks the user to confirm; resolves true to go ahead.
   */
  export type Confirm = typeof confirmDialog;

  /**
   * Options to create the panel.
   */
  export interface IOptions {
    /** The group's members. */
    model: CourseMembersModel;
    /** The requests to join the group (a course), if the hub takes them. */
    requests?: CourseRequestsModel | null;
    /** What people read for the group (its course's title); its name by default. */
    title?: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Ask before removing (default: JupyterLab's dialog). */
    confirm?: Confirm;
    /** Show a failed request (default: JupyterLab's error dialog). */
    showError?: (title: string, reason: unknown) => Promise<void>;
  }
}

namespace Private {
  let lastId = 0;

  /**
   * A prefix for the ids of one panel's elements.
   */
  export function nextId(): string {
    return `jp-HubGroupsCourse-${++lastId}`;
  }
}
