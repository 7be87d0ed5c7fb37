import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Debouncer } from '@lumino/polling';
import { Widget } from '@lumino/widgets';

import { CourseMembersModel } from './model';
import {
  foldNames,
  INamesRead,
  IPreview,
  namesFromCsv,
  namesFromText
} from './names';
import { CourseRequestsModel } from '../requests/model';
import { RequestsSection } from '../requests/view';
import { button, el } from '../dom';
import { MembersTable, previewTable } from './table';
import {
  errorText,
  previewSummary,
  resultSummary,
  statusText,
  undoLabel
} from './text';

/**
 * The "Course members" panel of one group: its members (with a filter and a
 * count), adding one person (with completion), adding many (pasted or from
 * a CSV file, previewed first), removing (after a confirmation) and undoing
 * the last change.
 *
 * #### Notes
 * Every control is a native one (form fields, buttons, tables with column
 * headers), so the panel works with the keyboard and screen readers; what
 * a change did is announced by a polite live region, and so is a preview.
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
    this._confirm = options.confirm ?? Private.confirm;
    this._showError = options.showError ?? Private.showError;
    this.addClass('jp-HubGroupsCourse');
    const id = Private.nextId();
    this._table = new MembersTable({
      id,
      labelledBy: `${id}-members`,
      trans: this._trans,
      onRemove: name => void this._removeOne(name)
    });
    this._build(id);
    this._completion = new Debouncer(() => this._complete(), 250);
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
    this._completion.dispose();
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
  async preview(read: INamesRead): Promise<void> {
    const trans = this._trans;
    this._setPending(null);
    if (!read.names.length && !read.tooLong.length) {
      this._announce(trans.__('There are no names to preview.'));
      return;
    }
    this._previewing++;
    this._render();
    try {
      const preview: IPreview = read.names.length
        ? await this.model.preview(read.names)
        : { new: [], member: [], unknown: [], invalid: [] };
      preview.invalid.push(...read.tooLong);
      this._setPending({ read, preview });
      this._announce(previewSummary(preview, read.duplicates, trans));
    } catch (reason) {
      await this._failed(trans.__('Cannot preview the names'), reason);
    } finally {
      this._previewing--;
      this._render();
    }
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
      this._one.input.focus({ preventScroll: true });
    }
  }

  /**
   * Create the panel's parts once; `_render` fills them in.
   */
  private _build(id: string): void {
    const trans = this._trans;

    const header = el('header', 'jp-HubGroupsCourse-header');
    const title = el('h2', 'jp-HubGroupsCourse-title');
    title.textContent = trans.__('Members of %1', this.model.group);
    this._status = el('p', 'jp-HubGroupsCourse-status');
    this._refresh = button(
      trans.__('Refresh'),
      'jp-Button jp-mod-minimal jp-mod-small'
    );
    this._refresh.title = trans.__('Read the members from the hub again');
    this._refresh.addEventListener('click', () => {
      void this.model.refresh().catch(() => undefined);
    });
    const statusLine = el('div', 'jp-HubGroupsCourse-statusLine');
    statusLine.append(this._status, this._refresh);
    header.append(title, statusLine);

    this._notice = el('p', 'jp-HubGroupsCourse-notice');
    this._notice.setAttribute('role', 'alert');
    this._notice.hidden = true;

    // Adding one person, with completion.
    const one = Private.section('jp-HubGroupsCourse-addOne', `${id}-one`);
    one.heading.textContent = trans.__('Add a person');
    const form = el('form', 'jp-HubGroupsCourse-row');
    const label = el('label', '');
    label.htmlFor = `${id}-one-input`;
    label.textContent = trans.__('User name');
    const input = el('input', 'jp-mod-styled jp-HubGroupsCourse-oneInput');
    input.id = `${id}-one-input`;
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('autocapitalize', 'none');
    input.setAttribute('list', `${id}-one-list`);
    const list = el('datalist', 'jp-HubGroupsCourse-completions');
    list.id = `${id}-one-list`;
    const add = button(trans.__('Add'), 'jp-mod-styled jp-mod-accept');
    add.type = 'submit';
    form.append(label, input, add, list);
    form.addEventListener('submit', event => {
      event.preventDefault();
      void this._addOne();
    });
    input.addEventListener('input', () => {
      void this._completion.invoke().catch(() => undefined);
    });
    one.node.append(form);
    this._one = { input, list, add };

    // Adding many: pasted or from a CSV file, previewed first.
    const many = Private.section('jp-HubGroupsCourse-addMany', `${id}-many`);
    many.heading.textContent = trans.__('Add many');
    const hint = el('p', 'jp-HubGroupsCourse-hint');
    hint.id = `${id}-many-hint`;
    hint.textContent = trans.__(
      'Paste user names (one per line, or separated by commas, semicolons, tabs or spaces), or read them from a CSV file with a "username" column. You see what will happen before anything changes.'
    );
    const textLabel = el('label', '');
    textLabel.htmlFor = `${id}-many-text`;
    textLabel.textContent = trans.__('User names');
    const text = el('textarea', 'jp-mod-styled jp-HubGroupsCourse-names');
    text.id = `${id}-many-text`;
    text.rows = 5;
    text.spellcheck = false;
    text.setAttribute('aria-describedby', hint.id);
    text.addEventListener('input', () => {
      // The preview was of other names.
      this._source.textContent = '';
      this._setPending(null);
    });
    text.addEventListener('keydown', event => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.preview(namesFromText(text.value));
      }
    });
    const preview = button(trans.__('Preview'), 'jp-mod-styled jp-mod-accept');
    preview.title = trans.__(
      'See what adding these names would do (Ctrl+Enter)'
    );
    preview.addEventListener('click', () => {
      void this.preview(namesFromText(text.value));
    });
    // A button of ours opens the browser's file chooser: it looks like
    // the others, and is a button for the keyboard and screen readers.
    const file = el('input', 'jp-HubGroupsCourse-file');
    file.type = 'file';
    file.accept = '.csv,.txt,.tsv,text/csv,text/plain';
    file.hidden = true;
    file.addEventListener('change', () => void this._readFile());
    const choose = button(
      trans.__('Read a CSV File…'),
      'jp-mod-styled jp-mod-reject jp-HubGroupsCourse-choose'
    );
    choose.addEventListener('click', () => file.click());
    const actions = el('div', 'jp-HubGroupsCourse-row');
    actions.append(preview, choose, file);
    this._source = el('p', 'jp-HubGroupsCourse-source');
    const box = el('div', 'jp-HubGroupsCourse-preview');
    box.hidden = true;
    many.node.append(hint, textLabel, text, actions, this._source, box);
    this._many = { text, file, preview, choose, box };

    // The last change: what it did, name by name, and its undo.
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
    const members = Private.section(
      'jp-HubGroupsCourse-members',
      `${id}-members`
    );
    members.heading.textContent = trans.__('Members');
    members.node.append(...this._table.nodes);

    const left = el('div', 'jp-HubGroupsCourse-column');
    left.append(one.node, many.node, result);
    const right = el('div', 'jp-HubGroupsCourse-column');
    right.append(members.node);
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
            void this.model.refresh().catch(() => undefined);
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
    const busy = model.busy || this._previewing > 0;
    this.node.setAttribute('aria-busy', busy ? 'true' : 'false');
    this.node.dataset.status = status;

    this._status.textContent = statusText(model, trans);
    this._status.title = model.fetchedAt
      ? trans.__('Read from the hub at %1', model.fetchedAt.toLocaleString())
      : '';
    const closed = status === 'forbidden' || status === 'missing';
    this._notice.hidden = !closed;
    this._notice.textContent =
      status === 'forbidden'
        ? trans.__(
            'You may not manage the members of %1 (JupyterHub decides who may).',
            model.group
          )
        : status === 'missing'
          ? trans.__('JupyterHub has no group %1.', model.group)
          : '';
    this._body.hidden = closed;

    const readOnly = busy || status === 'loading' || status === 'error';
    for (const control of [
      this._one.add,
      this._many.preview,
      this._many.choose
    ]) {
      control.disabled = readOnly;
    }
    if (this._apply) {
      this._apply.disabled = readOnly || !this._pending?.preview.new.length;
    }
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

  /**
   * Keep a preview until it is applied or dropped, and show it.
   */
  private _setPending(
    pending: { read: INamesRead; preview: IPreview } | null
  ): void {
    this._pending = pending;
    const box = this._many.box;
    this._apply = null;
    if (!pending) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const trans = this._trans;
    const { preview, read } = pending;
    const summary = el('p', 'jp-HubGroupsCourse-previewSummary');
    summary.textContent = previewSummary(preview, read.duplicates, trans);
    const scroll = el('div', 'jp-HubGroupsCourse-previewScroll');
    scroll.append(previewTable(preview, trans));
    const count = preview.new.length;
    const apply = button(
      count
        ? trans._n('Add %1 person', 'Add %1 people', count)
        : trans.__('Nothing to add'),
      'jp-mod-styled jp-mod-accept jp-HubGroupsCourse-apply'
    );
    apply.disabled = count === 0 || this.model.busy;
    apply.addEventListener('click', () => void this._applyPreview());
    const cancel = button(trans.__('Cancel'), 'jp-mod-styled jp-mod-reject');
    cancel.addEventListener('click', () => {
      this._setPending(null);
      this._many.text.focus();
    });
    const buttons = el('div', 'jp-HubGroupsCourse-row');
    buttons.append(cancel, apply);
    box.replaceChildren(summary, scroll, buttons);
    box.hidden = false;
    this._apply = apply;
  }

  private async _addOne(): Promise<void> {
    const trans = this._trans;
    const read = foldNames([this._one.input.value]);
    if (!read.names.length && !read.tooLong.length) {
      this._one.input.focus();
      return;
    }
    const result = await this._run(
      trans.__('Cannot add %1', read.names[0] ?? ''),
      () => this.model.add(read.names),
      read.tooLong
    );
    if (result?.done.length) {
      this._one.input.value = '';
      this._one.list.replaceChildren();
    }
    this._one.input.focus();
  }

  private async _applyPreview(): Promise<void> {
    const pending = this._pending;
    if (!pending) {
      return;
    }
    // Every name but those never sent: the result says what became of each
    // (a user created since the preview is added too).
    const result = await this._run(
      this._trans.__('Cannot add the names'),
      () => this.model.add(pending.read.names),
      pending.read.tooLong
    );
    if (result) {
      this._setPending(null);
      this._many.text.value = '';
      this._many.file.value = '';
      this._source.textContent = '';
      (this._undo.hidden ? this._many.text : this._undo).focus();
    }
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
    const message = (reason as Error).message ?? String(reason);
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
    const items = errors.map(e => {
      const item = el('li', `jp-HubGroupsCourse-error jp-mod-${e.error}`);
      const name = el('span', 'jp-HubGroupsCourse-errorName');
      name.textContent = e.name;
      const why = el('span', 'jp-HubGroupsCourse-errorWhy');
      why.textContent = errorText(e, trans);
      item.append(name, why);
      return item;
    });
    this._errors.replaceChildren(...items);
    this._errors.hidden = !items.length;
  }

  /**
   * Tell screen readers about something shown elsewhere (a preview).
   */
  private _announce(message: string): void {
    this._announcer.textContent = message;
  }

  private async _complete(): Promise<void> {
    const prefix = this._one.input.value.trim();
    if (!prefix) {
      this._one.list.replaceChildren();
      return;
    }
    let names: string[];
    try {
      names = await this.model.complete(prefix, 50);
    } catch (reason) {
      console.warn('jupyterlab-hub-groups: completion', reason);
      return;
    }
    if (this.isDisposed || this._one.input.value.trim() !== prefix) {
      return; // typed on meanwhile: a newer completion comes
    }
    // Those who are members already are not offered.
    const members = new Set(this.model.members);
    const options = names
      .filter(name => !members.has(name))
      .slice(0, 20)
      .map(name => {
        const option = document.createElement('option');
        option.value = name;
        return option;
      });
    this._one.list.replaceChildren(...options);
  }

  private async _readFile(): Promise<void> {
    const trans = this._trans;
    const file = this._many.file.files?.[0];
    if (!file) {
      return;
    }
    if (file.size > Private.MAX_FILE_BYTES) {
      this._say(trans.__('%1 is too large (more than 5 MB).', file.name));
      return;
    }
    let text: string;
    try {
      text = await Private.readText(file);
    } catch (reason) {
      await this._failed(trans.__('Cannot read %1', file.name), reason);
      return;
    }
    const read = namesFromCsv(text);
    this._many.text.value = [...read.names, ...read.tooLong].join('\n');
    this._source.textContent = read.column
      ? trans.__('From %1, column "%2".', file.name, read.column)
      : trans.__('From %1, first column (no "username" header).', file.name);
    await this.preview(read);
  }

  private _trans: TranslationBundle;
  private _confirm: CourseMembersPanel.Confirm;
  private _showError: (title: string, reason: unknown) => Promise<void>;
  private _completion: Debouncer<void>;
  private _table: MembersTable;
  private _status!: HTMLElement;
  private _refresh!: HTMLButtonElement;
  private _notice!: HTMLElement;
  private _body!: HTMLElement;
  private _one!: {
    input: HTMLInputElement;
    list: HTMLDataListElement;
    add: HTMLButtonElement;
  };
  private _many!: {
    text: HTMLTextAreaElement;
    file: HTMLInputElement;
    preview: HTMLButtonElement;
    choose: HTMLButtonElement;
    box: HTMLElement;
  };
  private _source!: HTMLElement;
  private _message!: HTMLElement;
  private _errors!: HTMLElement;
  private _undo!: HTMLButtonElement;
  private _announcer!: HTMLElement;
  private _requestsSection: RequestsSection | null = null;
  private _pending: { read: INamesRead; preview: IPreview } | null = null;
  private _apply: HTMLButtonElement | null = null;
  private _previewing = 0;
}

/**
 * A namespace for CourseMembersPanel statics.
 */
export namespace CourseMembersPanel {
  /**
   * Asks the user to confirm; resolves true to go ahead.
   */
  export type Confirm = (question: {
    title: string;
    body: string;
    accept: string;
  }) => Promise<boolean>;

  /**
   * Options to create the panel.
   */
  export interface IOptions {
    /** The group's members. */
    model: CourseMembersModel;
    /** The requests to join the group (a course), if the hub takes them. */
    requests?: CourseRequestsModel | null;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Ask before removing (default: JupyterLab's dialog). */
    confirm?: Confirm;
    /** Show a failed request (default: JupyterLab's error dialog). */
    showError?: (title: string, reason: unknown) => Promise<void>;
  }
}

namespace Private {
  /**
   * The largest CSV file read (a course of thousands is far smaller).
   */
  export const MAX_FILE_BYTES = 5 * 1024 * 1024;

  let lastId = 0;

  /**
   * A prefix for the ids of one panel's elements.
   */
  export function nextId(): string {
    return `jp-HubGroupsCourse-${++lastId}`;
  }

  /**
   * A section named by its heading.
   */
  export function section(
    className: string,
    id: string
  ): { node: HTMLElement; heading: HTMLElement } {
    const node = el('section', `jp-HubGroupsCourse-section ${className}`);
    const heading = el('h3', 'jp-HubGroupsCourse-heading');
    heading.id = id;
    node.setAttribute('aria-labelledby', id);
    node.append(heading);
    return { node, heading };
  }

  /**
   * A file's text (UTF-8).
   */
  export function readText(file: File): Promise<string> {
    if (typeof file.text === 'function') {
      return file.text();
    }
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result ?? ''));
      reader.onerror = () => reject(reader.error);
      reader.readAsText(file);
    });
  }

  /**
   * JupyterLab's confirmation dialog.
   */
  export async function confirm(question: {
    title: string;
    body: string;
    accept: string;
  }): Promise<boolean> {
    const result = await showDialog({
      title: question.title,
      body: question.body,
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: question.accept })
      ]
    });
    return result.button.accept;
  }

  /**
   * JupyterLab's error dialog.
   */
  export async function showError(
    title: string,
    reason: unknown
  ): Promise<void> {
    await showErrorMessage(title, (reason as Error).message ?? String(reason));
  }
}
