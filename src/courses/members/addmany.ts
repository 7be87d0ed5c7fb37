import { TranslationBundle } from '@jupyterlab/translation';

import { button, el, section } from '../dom';
import { CourseMembersModel } from './model';
import { INamesRead, IPreview, namesFromCsv, namesFromText } from './names';
import { previewTable } from './table';
import { previewSummary } from './text';

/**
 * The members panel's "Add many" section: names pasted or read from a CSV
 * file, previewed first (one request per 5000 names), added when the
 * instructor presses "Add".
 *
 * #### Notes
 * The panel runs the change and says what it did (`host`): this section
 * keeps the names, the preview and the file.
 */
export class AddManySection {
  /**
   * @param options - The ids' prefix, the model, the bundle, the panel.
   */
  constructor(options: AddManySection.IOptions) {
    const { id, trans } = options;
    this._model = options.model;
    this._trans = trans;
    this._host = options.host;
    const many = section('jp-HubGroupsCourse-addMany', `${id}-many`);
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
    this.node = many.node;
    this._text = text;
    this._file = file;
    this._previewButton = preview;
    this._choose = choose;
    this._box = box;
  }

  /**
   * The section's node.
   */
  readonly node: HTMLElement;

  /**
   * Whether a preview is being asked.
   */
  get previewing(): boolean {
    return this._previewing > 0;
  }

  /**
   * Disable the section's buttons (while busy, loading, or unreadable).
   */
  setReadOnly(readOnly: boolean): void {
    this._previewButton.disabled = readOnly;
    this._choose.disabled = readOnly;
    if (this._apply) {
      this._apply.disabled = readOnly || !this._pending?.preview.new.length;
    }
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
    // A new action: the last one's result lines go.
    this._host.say('');
    if (!read.names.length && !read.tooLong.length) {
      this._host.announce(trans.__('There are no names to preview.'));
      return;
    }
    this._previewing++;
    this._host.render();
    try {
      const preview: IPreview = read.names.length
        ? await this._model.preview(read.names)
        : { new: [], member: [], unknown: [], invalid: [] };
      preview.invalid.push(...read.tooLong);
      (preview.problems ??= []).push(
        ...read.tooLong.map(name => ({
          name,
          error: 'invalid',
          message: trans.__('A user name has at most 255 characters.')
        }))
      );
      this._setPending({ read, preview });
      this._host.announce(previewSummary(preview, read.duplicates, trans));
    } catch (reason) {
      await this._host.failed(trans.__('Cannot preview the names'), reason);
    } finally {
      this._previewing--;
      this._host.render();
    }
  }

  /**
   * Keep a preview until it is applied or dropped, and show it.
   */
  private _setPending(
    pending: { read: INamesRead; preview: IPreview } | null
  ): void {
    this._pending = pending;
    const box = this._box;
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
    apply.disabled = count === 0 || this._model.busy;
    apply.addEventListener('click', () => void this._applyPreview());
    const cancel = button(trans.__('Cancel'), 'jp-mod-styled jp-mod-reject');
    cancel.addEventListener('click', () => {
      this._setPending(null);
      this._text.focus();
    });
    const buttons = el('div', 'jp-HubGroupsCourse-row');
    buttons.append(cancel, apply);
    box.replaceChildren(summary, scroll, buttons);
    box.hidden = false;
    this._apply = apply;
  }

  private async _applyPreview(): Promise<void> {
    const pending = this._pending;
    if (!pending) {
      return;
    }
    // Every name but those never sent: the result says what became of each
    // (a user created since the preview is added too).
    const result = await this._host.run(
      this._trans.__('Cannot add the names'),
      () => this._model.add(pending.read.names),
      pending.read.tooLong
    );
    if (result) {
      this._setPending(null);
      this._file.value = '';
      // The names not added stay in the box, to be fixed and previewed
      // again; the result beside the list says why for each.
      const failed = [
        ...pending.read.tooLong,
        ...result.errors.map(e => e.name)
      ];
      this._text.value = failed.join('\n');
      this._source.textContent = failed.length
        ? this._trans._n(
            'The name not added is left here, to be fixed.',
            'The %1 names not added are left here, to be fixed.',
            failed.length
          )
        : '';
      (this._host.applied() ?? this._text).focus();
    }
  }

  private async _readFile(): Promise<void> {
    const trans = this._trans;
    const file = this._file.files?.[0];
    if (!file) {
      return;
    }
    if (file.size > Private.MAX_FILE_BYTES) {
      this._host.say(trans.__('%1 is too large (more than 5 MB).', file.name));
      return;
    }
    let text: string;
    try {
      text = await Private.readText(file);
    } catch (reason) {
      await this._host.failed(trans.__('Cannot read %1', file.name), reason);
      return;
    }
    const read = namesFromCsv(text);
    this._text.value = [...read.names, ...read.tooLong].join('\n');
    this._source.textContent = read.column
      ? trans.__('From %1, column "%2".', file.name, read.column)
      : trans.__('From %1, first column (no "username" header).', file.name);
    await this.preview(read);
  }

  private _model: CourseMembersModel;
  private _trans: TranslationBundle;
  private _host: AddManySection.IHost;
  private _text: HTMLTextAreaElement;
  private _file: HTMLInputElement;
  private _previewButton: HTMLButtonElement;
  private _choose: HTMLButtonElement;
  private _box: HTMLElement;
  private _source: HTMLElement;
  private _pending: { read: INamesRead; preview: IPreview } | null = null;
  private _apply: HTMLButtonElement | null = null;
  private _previewing = 0;
}

/**
 * A namespace for AddManySection statics.
 */
export namespace AddManySection {
  /**
   * What the section asks of its panel.
   */
  export interface IHost {
    /** Run a change and say what it did; null when it failed. */
    run(
      failure: string,
      change: () => Promise<CourseMembersModel.IResult | null>,
      neverSent: readonly string[]
    ): Promise<CourseMembersModel.IResult | null>;
    /** Show a failure. */
    failed(title: string, reason: unknown): Promise<void>;
    /** Say something in the result line. */
    say(message: string): void;
    /** Tell screen readers (a preview). */
    announce(message: string): void;
    /** Draw the panel again (busy changed). */
    render(): void;
    /** What to focus after names were added (the undo button), or null. */
    applied(): HTMLElement | null;
  }

  /**
   * Options to create the section.
   */
  export interface IOptions {
    /** The prefix of the panel's element ids. */
    id: string;
    /** The group's members. */
    model: CourseMembersModel;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The panel. */
    host: IHost;
  }
}

namespace Private {
  /**
   * The largest CSV file read (a course of thousands is far smaller).
   */
  export const MAX_FILE_BYTES = 5 * 1024 * 1024;

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
}
