import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { HubGroupsError } from '../../common/request';
import { errorMessage } from '../../common/wording';
import { CourseRequestsModel } from './model';
import { ICourseRequest, IDecision } from '../client';
import { button, el, nameErrorItems } from '../dom';
import { nameList } from '../text';
import { decisionSummary } from './text';
import { AskDecline, declineDialog, offerUndo, undoSummary } from './decline';
import { requestKey, setDisabled } from './rows';

// Shown in the members panel: its styles (and the panel's it uses).
import '../../../style/members.css';

/**
 * The "Requests to join" section of a course's members panel: who asks,
 * their message and when, with Approve and Decline for each and, for
 * several, "Approve All" and "Decline All" after a confirmation.
 *
 * #### Notes
 * Hidden for a group that takes no requests. Rows are kept while their
 * request stays (a refresh adds and removes rows only), so the focus
 * stays where it is; when a decided row goes, the focus moves to the next
 * one. Names and messages are set as text; a message keeps its line
 * breaks and its own direction (`dir="auto"`). What a decision did is
 * said in a polite live region, with the users not decided listed.
 */
export class RequestsSection implements IDisposable {
  /**
   * @param options - The model, ids, the translation bundle, the
   *   confirmation and what follows a decision.
   */
  constructor(options: RequestsSection.IOptions) {
    const trans = (this._trans = options.trans);
    this.model = options.model;
    this._confirm = options.confirm;
    this._askDecline = options.askDecline ?? declineDialog(trans);
    this._onDecided = options.onDecided;
    this._onFailed = options.onFailed;
    const headingId = `${options.id}-requests`;

    const node = (this.node = el(
      'section',
      'jp-HubGroupsCourse-section jp-HubGroupsRequests'
    ));
    node.setAttribute('aria-labelledby', headingId);
    const head = el('div', 'jp-HubGroupsRequests-head');
    const heading = (this._heading = el('h3', 'jp-HubGroupsCourse-heading'));
    heading.id = headingId;
    heading.tabIndex = -1;
    heading.textContent = trans.__('Requests to join');
    this._count = el('span', 'jp-HubGroupsRequests-count');
    this._approveAll = button(
      '',
      'jp-mod-styled jp-mod-accept jp-HubGroupsRequests-approveAll'
    );
    this._approveAll.addEventListener(
      'click',
      () => void this._decideAll(true)
    );
    this._declineAll = button(
      trans.__('Decline All'),
      'jp-mod-styled jp-mod-reject jp-HubGroupsRequests-declineAll'
    );
    this._declineAll.addEventListener(
      'click',
      () => void this._decideAll(false)
    );
    const all = el('div', 'jp-HubGroupsRequests-all');
    all.append(this._declineAll, this._approveAll);
    head.append(heading, this._count, all);

    this._status = el('p', 'jp-HubGroupsRequests-status');
    const table = (this._table = el(
      'table',
      'jp-HubGroupsCourse-table jp-HubGroupsRequests-table'
    ));
    table.setAttribute('aria-labelledby', headingId);
    const headRow = table.createTHead().insertRow();
    for (const [text, className] of [
      [trans.__('User'), ''],
      [trans.__('Message'), ''],
      [trans.__('Asked'), ''],
      [trans.__('Actions'), 'jp-HubGroupsCourse-actions']
    ]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      th.className = className;
      headRow.append(th);
    }
    this._tbody = table.createTBody();
    this._tbody.addEventListener('click', event => {
      const target = (event.target as Element).closest?.('button');
      const row = target?.closest('tr');
      const request = row ? this._requestOf.get(row) : undefined;
      if (request && target && !this.model.busy) {
        void this._decideOne(
          request,
          target.classList.contains('jp-HubGroupsRequests-approve')
        );
      }
    });
    this._empty = el('p', 'jp-HubGroupsRequests-empty');
    this._empty.textContent = trans.__('No requests waiting.');
    this._result = el('p', 'jp-HubGroupsRequests-result');
    this._result.setAttribute('aria-live', 'polite');
    this._errors = el('ul', 'jp-HubGroupsCourse-errors');
    this._errors.setAttribute('aria-label', trans.__('Requests not decided'));
    this._errors.hidden = true;
    node.append(
      head,
      this._status,
      table,
      this._empty,
      this._result,
      this._errors
    );
    this.model.changed.connect(this.render, this);
    this.render();
  }

  /**
   * The course's requests.
   */
  readonly model: CourseRequestsModel;

  /**
   * The section, to put in the panel.
   */
  readonly node: HTMLElement;

  /**
   * Whether the section is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Fill the section in from the model.
   */
  render(): void {
    const trans = this._trans;
    const model = this.model;
    const status = model.status;
    // Nothing where none can be shown (refused, absent: see the model),
    // nor before the first answer (most groups one manages take none).
    this.node.hidden = ['loading', 'refused', 'absent'].includes(status);
    this.node.dataset.status = status;
    const requests = model.requests;
    const busy = model.busy;
    this.node.setAttribute('aria-busy', busy ? 'true' : 'false');

    this._status.textContent =
      status === 'stale'
        ? trans.__(
            'Could not refresh the requests (%1); the list may be out of date.',
            errorMessage(model.error, trans)
          )
        : status === 'unavailable'
          ? trans.__(
              'Cannot read the requests to join: %1',
              errorMessage(model.error, trans)
            )
          : '';
    this._status.hidden = !this._status.textContent;

    const n = requests.length;
    this._count.textContent = n ? trans._n('%1 waiting', '%1 waiting', n) : '';
    this._approveAll.textContent = trans.__('Approve All (%1)', n);
    // One request has its own buttons; "all" is for several.
    this._approveAll.hidden = this._declineAll.hidden = n < 2;
    setDisabled(this._approveAll, busy);
    setDisabled(this._declineAll, busy);
    this._table.hidden = n === 0;
    this._empty.hidden = n > 0 || status !== 'ready';

    this._updateRows(requests, busy);
  }

  /**
   * Stop following the model. Idempotent; the model is the caller's.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._undo?.dispose();
    this.model.changed.disconnect(this.render, this);
  }

  private _updateRows(
    requests: readonly ICourseRequest[],
    busy: boolean
  ): void {
    const keep = new Map(requests.map(r => [requestKey(r), r]));
    const staying = (row: HTMLTableRowElement) =>
      keep.has(this._keyOf.get(row) ?? '');
    // Where the focus goes if its row leaves: the next row that stays,
    // else the one before, else the heading.
    const before = Array.from(this._tbody.rows);
    const focused = before.find(row => row.contains(document.activeElement));
    const lost = !!focused && !staying(focused);
    let focusTo: HTMLTableRowElement | undefined;
    if (lost) {
      const i = before.indexOf(focused!);
      focusTo =
        before.slice(i + 1).find(staying) ??
        before.slice(0, i).reverse().find(staying);
    }
    for (const [key, row] of this._rows) {
      if (!keep.has(key)) {
        row.remove();
        this._rows.delete(key);
      }
    }
    let previous: HTMLTableRowElement | null = null;
    for (const [key, request] of keep) {
      let row = this._rows.get(key);
      if (!row) {
        row = this._createRow(request);
        this._rows.set(key, row);
        this._keyOf.set(row, key);
      }
      for (const b of Array.from(row.querySelectorAll('button'))) {
        setDisabled(b, busy);
      }
      const expected: ChildNode | null = previous
        ? previous.nextSibling
        : this._tbody.firstChild;
      if (expected !== row) {
        this._tbody.insertBefore(row, expected);
      }
      previous = row;
    }
    if (lost) {
      (
        focusTo?.querySelector<HTMLButtonElement>(
          '.jp-HubGroupsRequests-approve'
        ) ?? this._heading
      ).focus();
    }
  }

  private _createRow(request: ICourseRequest): HTMLTableRowElement {
    const trans = this._trans;
    const row = el('tr', 'jp-HubGroupsRequests-request');
    const user = el('td', 'jp-HubGroupsRequests-user');
    user.textContent = request.user;
    const message = el('td', 'jp-HubGroupsRequests-message');
    if (request.message) {
      message.dir = 'auto';
      message.textContent = request.message;
    } else {
      message.classList.add('jp-mod-none');
      message.textContent = trans.__('(no message)');
    }
    const asked = el('td', 'jp-HubGroupsRequests-asked');
    const time = el('time', '');
    const when = new Date(request.created);
    if (!isNaN(when.getTime())) {
      time.dateTime = request.created;
      time.textContent = when.toLocaleString();
    }
    asked.append(time);
    const actions = el('td', 'jp-HubGroupsCourse-actions');
    const approve = button(
      trans.__('Approve'),
      'jp-mod-styled jp-mod-accept jp-HubGroupsRequests-approve'
    );
    approve.setAttribute('aria-label', trans.__('Approve %1', request.user));
    const decline = button(
      trans.__('Decline'),
      'jp-mod-styled jp-mod-reject jp-HubGroupsRequests-decline'
    );
    decline.setAttribute('aria-label', trans.__('Decline %1', request.user));
    actions.append(decline, approve);
    row.append(user, message, asked, actions);
    this._requestOf.set(row, request);
    return row;
  }

  private async _decideOne(
    request: ICourseRequest,
    approve: boolean
  ): Promise<void> {
    const asked = approve
      ? { reason: '' }
      : await this._askDecline([request.user], this.model.group);
    if (asked) {
      await this._decide([request.user], approve, asked.reason);
    }
  }

  private async _decideAll(approve: boolean): Promise<void> {
    if (this.model.busy) {
      return;
    }
    const trans = this._trans;
    const users = this.model.requests.map(r => r.user);
    if (!users.length) {
      return;
    }
    const group = this.model.group;
    // The names: all of a few, or the first ten and how many more.
    const asked = approve
      ? (await this._confirm({
          title: trans._n(
            'Approve %1 request?',
            'Approve all %1 requests?',
            users.length
          ),
          body: trans.__(
            '%1 will become members of %2.',
            nameList(users, trans, 10),
            group
          ),
          accept: trans.__('Approve All')
        })) && { reason: '' }
      : await this._askDecline(users, group);
    if (!asked) {
      return;
    }
    await this._decide(users, approve, asked.reason);
    if (!this.model.requests.length) {
      this._heading.focus();
    }
  }

  private async _decide(
    users: string[],
    approve: boolean,
    reason = ''
  ): Promise<void> {
    const trans = this._trans;
    let decision: IDecision;
    try {
      decision = await this.model.decide(users, approve, reason);
    } catch (reason) {
      const title = approve
        ? trans.__('Cannot approve')
        : trans.__('Cannot decline');
      this._say(trans.__('%1: %2', title, errorMessage(reason, trans)), []);
      await this._onFailed(title, reason);
      return;
    }
    this._say(
      decisionSummary(decision, approve, this.model.group, trans),
      decision.errors
    );
    if (!approve && decision.declined.length) {
      const declined = decision.declined;
      this._undo = offerUndo({
        node: this._result,
        users: declined,
        trans,
        undo: () => this._undecline(declined)
      });
    }
    this._onDecided(decision, approve);
  }

  private async _undecline(users: readonly string[]): Promise<void> {
    const trans = this._trans;
    this._heading.focus();
    try {
      const undo = await this.model.undecline(users);
      this._say(undoSummary(undo, trans), undo.errors);
    } catch (reason) {
      const title = trans.__('Cannot undo');
      this._say(trans.__('%1: %2', title, errorMessage(reason, trans)), []);
      await this._onFailed(title, reason);
    }
  }

  /**
   * Say what a decision did, with the users not decided.
   */
  private _say(message: string, errors: IDecision['errors']): void {
    this._undo?.dispose();
    this._result.textContent = message;
    this._errors.replaceChildren(
      // (each code of a 200 answer, worded as the codes of failures)
      ...nameErrorItems(errors, e =>
        errorMessage(new HubGroupsError(200, e.error, e.message), this._trans)
      )
    );
    this._errors.hidden = !errors.length;
  }

  private _trans: TranslationBundle;
  private _confirm: RequestsSection.Confirm;
  private _askDecline: AskDecline;
  private _undo: IDisposable | null = null;
  private _onDecided: (decision: IDecision, approve: boolean) => void;
  private _onFailed: (title: string, reason: unknown) => Promise<void>;
  private _heading: HTMLElement;
  private _count: HTMLElement;
  private _approveAll: HTMLButtonElement;
  private _declineAll: HTMLButtonElement;
  private _status: HTMLElement;
  private _table: HTMLTableElement;
  private _tbody: HTMLTableSectionElement;
  private _empty: HTMLElement;
  private _result: HTMLElement;
  private _errors: HTMLElement;
  private _rows = new Map<string, HTMLTableRowElement>();
  private _requestOf = new WeakMap<Element, ICourseRequest>();
  private _keyOf = new WeakMap<Element, string>();
  private _isDisposed = false;
}

/**
 * A namespace for RequestsSection statics.
 */
export namespace RequestsSection {
  /**
   * Asks the user to confirm; resolves true to go ahead.
   */
  export type Confirm = (question: {
    title: string;
    body: string;
    accept: string;
  }) => Promise<boolean>;

  /**
   * Options to create the section.
   */
  export interface IOptions {
    /** The course's requests. */
    model: CourseRequestsModel;
    /** A prefix for the ids of its elements (unique in the page). */
    id: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Ask before approving all. */
    confirm: Confirm;
    /** Ask before declining, and why (JupyterLab's dialog by default). */
    askDecline?: AskDecline;
    /** Called after a decision (the panel reads the members again). */
    onDecided: (decision: IDecision, approve: boolean) => void;
    /** Show a failed decision. */
    onFailed: (title: string, reason: unknown) => Promise<void>;
  }
}
