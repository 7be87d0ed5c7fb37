/**
 * Picking people by name, with completion from the service's `GET
 * people?q=`: a text field with the browser's own list of suggestions (a
 * `datalist`: arrows, Enter and Escape work as in any field), an "Add"
 * button (Enter in the field adds too, also inside a dialog), and the
 * names picked, each with a "Remove" button. A name is added only when
 * the service knows it.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { ProjectsClient } from './client';
import { projectError } from './text';
import '../../style/projects.css';

/**
 * A field to pick people by name, and the list of those picked.
 */
export class PeoplePicker extends Widget {
  /**
   * @param options - The client, the bundle, the field's label, who is
   *   left out of the list (the user, members already in).
   */
  constructor(options: PeoplePicker.IOptions) {
    super();
    const { trans } = options;
    this._client = options.client;
    this._trans = trans;
    this._exclude = new Set(options.exclude ?? []);
    this._listed = options.listed ?? true;
    this.addClass('jp-HubGroupsPeople');
    const id = `jp-HubGroupsPeople-${Private.nextId()}`;

    const label = document.createElement('label');
    label.htmlFor = `${id}-input`;
    label.textContent = options.label;
    const row = document.createElement('div');
    row.className = 'jp-HubGroupsPeople-row';
    this.input.id = `${id}-input`;
    this.input.className = 'jp-mod-styled';
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.spellcheck = false;
    this.input.setAttribute('list', `${id}-names`);
    this.input.placeholder = trans.__('Start typing a name');
    this._datalist.id = `${id}-names`;
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'jp-mod-styled jp-mod-accept';
    add.textContent = trans.__('Add');
    add.title = trans.__('Add this person');
    row.append(this.input, add, this._datalist);

    this._message.className = 'jp-HubGroupsPeople-message';
    this._message.setAttribute('role', 'status');
    this._list.className = 'jp-HubGroupsPeople-list';
    this._list.setAttribute('aria-label', options.label);
    this.node.append(label, row, this._message, this._list);

    document.addEventListener('keydown', this, true);
    this._names = [...(options.names ?? [])];
    this._render();
    this.input.addEventListener('input', () => this._suggest());
    add.addEventListener('click', () => void this.addTyped());
  }

  /**
   * The text field.
   */
  readonly input = document.createElement('input');

  /**
   * The names picked, in the order they were added.
   */
  get names(): readonly string[] {
    return [...this._names];
  }

  /**
   * Emitted with a name once it is picked (checked with the service).
   */
  get picked(): ISignal<this, string> {
    return this._picked;
  }

  /**
   * What the field says now (a refusal, who was added), for tests.
   */
  get message(): string {
    return this._message.textContent ?? '';
  }

  /**
   * Pick what is typed, if the service knows the name; say why not
   * otherwise.
   *
   * @returns Whether it was picked.
   */
  async addTyped(): Promise<boolean> {
    const name = this.input.value.trim();
    if (!name) {
      this._say(this._trans.__('Type a name first.'));
      return false;
    }
    if (this._exclude.has(name) || this._names.includes(name)) {
      this._say(this._trans.__('%1 is already in the list.', name));
      return false;
    }
    let known: string[];
    try {
      known = await this._client.people(name);
    } catch (reason) {
      this._say(projectError(reason, this._trans));
      return false;
    }
    if (!known.includes(name)) {
      this._say(this._trans.__('There is no such user: %1.', name));
      return false;
    }
    this.input.value = '';
    if (this._listed) {
      this._names.push(name);
      this._render();
    }
    this._say(this._trans.__('%1 added.', name));
    this._picked.emit(name);
    return true;
  }

  /**
   * Leave a name out of the list (added elsewhere since, or now a member).
   *
   * @param name - The name.
   */
  exclude(name: string): void {
    this._exclude.add(name);
  }

  /**
   * Enter in the field adds the name typed. Heard on the document, before
   * a dialog around the field (JupyterLab's Dialog takes Enter, in its own
   * capture, as its default button).
   */
  handleEvent(event: Event): void {
    const key = event as KeyboardEvent;
    if (key.target === this.input && key.key === 'Enter' && !key.isComposing) {
      key.preventDefault();
      key.stopPropagation();
      void this.addTyped();
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    document.removeEventListener('keydown', this, true);
    clearTimeout(this._timer);
    Signal.clearData(this);
    super.dispose();
  }

  private _say(text: string): void {
    this._message.textContent = text;
  }

  /**
   * Ask for suggestions a moment after the last key (one request per
   * pause, not per key), and keep only the answer to the latest text.
   */
  private _suggest(): void {
    clearTimeout(this._timer);
    const prefix = this.input.value.trim();
    if (!prefix) {
      this._datalist.replaceChildren();
      return;
    }
    this._timer = setTimeout(async () => {
      let names: string[];
      try {
        names = await this._client.people(prefix);
      } catch {
        return; // completion is a help: typing a whole name still works
      }
      if (this.isDisposed || this.input.value.trim() !== prefix) {
        return;
      }
      this._datalist.replaceChildren(
        ...names
          .filter(n => !this._exclude.has(n) && !this._names.includes(n))
          .map(n => {
            const option = document.createElement('option');
            option.value = n;
            return option;
          })
      );
    }, PeoplePicker.DELAY);
  }

  private _render(): void {
    this._list.replaceChildren(
      ...this._names.map(name => {
        const item = document.createElement('li');
        const text = document.createElement('span');
        text.dir = 'auto';
        text.textContent = name;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'jp-mod-styled jp-mod-reject';
        remove.textContent = this._trans.__('Remove');
        remove.setAttribute(
          'aria-label',
          this._trans.__('Remove %1 from the list', name)
        );
        remove.addEventListener('click', () => {
          this._names = this._names.filter(n => n !== name);
          this._render();
          this._say(this._trans.__('%1 removed from the list.', name));
          this.input.focus();
        });
        item.append(text, remove);
        return item;
      })
    );
  }

  private _client: ProjectsClient;
  private _trans: TranslationBundle;
  private _exclude: Set<string>;
  private _listed: boolean;
  private _names: string[] = [];
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _datalist = document.createElement('datalist');
  private _message = document.createElement('p');
  private _list = document.createElement('ul');
  private _picked = new Signal<this, string>(this);
}

/**
 * A namespace for PeoplePicker statics.
 */
export namespace PeoplePicker {
  /**
   * Milliseconds after the last key before suggestions are asked.
   */
  export const DELAY = 250;

  /**
   * Options of a picker.
   */
  export interface IOptions {
    /** The service's client (`GET people`). */
    client: ProjectsClient;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The field's label. */
    label: string;
    /** Names never offered nor added (the user, the members). */
    exclude?: readonly string[];
    /** Names picked before (checked then). */
    names?: readonly string[];
    /**
     * Keep the names picked in a list below the field (true); false: only
     * emit `picked` (the caller adds at once).
     */
    listed?: boolean;
  }
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for a picker's elements.
   */
  export function nextId(): number {
    return ++lastId;
  }
}
