import { TranslationBundle } from '@jupyterlab/translation';
import { Debouncer } from '@lumino/polling';

import { button, el, section } from '../dom';
import { CourseMembersModel } from './model';
import { foldNames } from './names';

/**
 * The members panel's "Add a person" section: a user name, completed from
 * the hub's users as it is typed (members left out), added at once.
 */
export class AddOneSection {
  /**
   * @param options - The ids' prefix, the model, the bundle, and how the
   *   panel runs a change.
   */
  constructor(options: AddOneSection.IOptions) {
    const { id, trans } = options;
    this._model = options.model;
    this._trans = trans;
    this._run = options.run;
    this._completion = new Debouncer(() => this._complete(), 250);
    const one = section('jp-HubGroupsCourse-addOne', `${id}-one`);
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
    this.node = one.node;
    this._input = input;
    this._list = list;
    this._add = add;
  }

  /**
   * The section's node.
   */
  readonly node: HTMLElement;

  /**
   * Focus the user name.
   */
  focus(): void {
    this._input.focus({ preventScroll: true });
  }

  /**
   * Disable adding (while busy, loading, or unreadable).
   */
  setReadOnly(readOnly: boolean): void {
    this._add.disabled = readOnly;
  }

  /**
   * Stop completing. Idempotent.
   */
  dispose(): void {
    this._isDisposed = true;
    this._completion.dispose();
  }

  private async _addOne(): Promise<void> {
    const trans = this._trans;
    const read = foldNames([this._input.value]);
    if (!read.names.length && !read.tooLong.length) {
      this._input.focus();
      return;
    }
    const result = await this._run(
      trans.__('Cannot add %1', read.names[0] ?? ''),
      () => this._model.add(read.names),
      read.tooLong
    );
    if (result?.done.length) {
      this._input.value = '';
      this._list.replaceChildren();
    }
    this._input.focus();
  }

  private async _complete(): Promise<void> {
    const prefix = this._input.value.trim();
    if (!prefix) {
      this._list.replaceChildren();
      return;
    }
    let names: string[];
    try {
      names = await this._model.complete(prefix, 50);
    } catch (reason) {
      console.warn('jupyterlab-hub-groups: completion', reason);
      return;
    }
    if (this._isDisposed || this._input.value.trim() !== prefix) {
      return; // typed on meanwhile: a newer completion comes
    }
    // Those who are members already are not offered.
    const members = new Set(this._model.members);
    const options = names
      .filter(name => !members.has(name))
      .slice(0, 20)
      .map(name => {
        const option = document.createElement('option');
        option.value = name;
        return option;
      });
    this._list.replaceChildren(...options);
  }

  private _model: CourseMembersModel;
  private _trans: TranslationBundle;
  private _run: AddOneSection.IOptions['run'];
  private _completion: Debouncer<void>;
  private _input: HTMLInputElement;
  private _list: HTMLDataListElement;
  private _add: HTMLButtonElement;
  private _isDisposed = false;
}

/**
 * A namespace for AddOneSection statics.
 */
export namespace AddOneSection {
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
    /** Run a change and say what it did (the panel's); null when it failed. */
    run(
      failure: string,
      change: () => Promise<CourseMembersModel.IResult | null>,
      neverSent?: readonly string[]
    ): Promise<CourseMembersModel.IResult | null>;
  }
}
