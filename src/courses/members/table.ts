import { TranslationBundle } from '@jupyterlab/translation';

import { button, el } from '../dom';
import { IPreview, nameMatches } from './names';
import { errorText } from './text';

/**
 * The members table of the course panel: a filter box, a count, and one
 * row per member with a "Remove" button.
 *
 * #### Notes
 * Built for a large course: a row is created once per member and kept
 * while the member stays (a refresh adds and removes rows, nothing else,
 * so the focus and the scroll position stay); the filter only hides rows;
 * one click listener serves every row's button. Names are set as text.
 */
export class MembersTable {
  /**
   * @param options - Ids, the translation bundle, and what "Remove" does.
   */
  constructor(options: MembersTable.IOptions) {
    const trans = (this._trans = options.trans);
    this._onRemove = options.onRemove;

    const toolbar = el('div', 'jp-HubGroupsCourse-row');
    const label = el('label', 'jp-sr-only');
    label.htmlFor = `${options.id}-filter`;
    label.textContent = trans.__('Filter members');
    const filter = (this.filter = el(
      'input',
      'jp-mod-styled jp-HubGroupsCourse-filter'
    ));
    filter.id = `${options.id}-filter`;
    filter.type = 'search';
    filter.placeholder = trans.__('Filter members');
    filter.spellcheck = false;
    filter.addEventListener('input', () => this._applyFilter());
    filter.addEventListener('keydown', event => {
      if (event.key === 'Escape' && filter.value) {
        event.stopPropagation();
        this.setFilter('');
      }
    });
    this._count = el('span', 'jp-HubGroupsCourse-count');
    this._count.setAttribute('aria-live', 'polite');
    toolbar.append(label, filter, this._count);

    const table = el('table', 'jp-HubGroupsCourse-table');
    table.setAttribute('aria-labelledby', options.labelledBy);
    table.append(header([trans.__('Name'), trans.__('Actions')]));
    (table.tHead!.rows[0].cells[1] as HTMLElement).className =
      'jp-HubGroupsCourse-actions';
    this._tbody = table.createTBody();
    this._tbody.addEventListener('click', event => {
      const button = (event.target as Element).closest?.(
        'button.jp-HubGroupsCourse-remove'
      );
      const row = button?.closest('tr');
      const name = row ? this._names.get(row) : undefined;
      if (name !== undefined) {
        this._onRemove(name);
      }
    });
    this._empty = el('p', 'jp-HubGroupsCourse-empty');
    this.nodes = [toolbar, table, this._empty];
  }

  /**
   * The table's elements, to put in the panel.
   */
  readonly nodes: readonly HTMLElement[];

  /**
   * The filter box.
   */
  readonly filter: HTMLInputElement;

  /**
   * Show these members, in this order.
   *
   * @param members - The members, sorted.
   * @param state - Whether a change is running (buttons disabled), and
   *   whether the first answer is still awaited.
   */
  update(
    members: readonly string[],
    state: { busy: boolean; loading: boolean }
  ): void {
    this._members = members;
    this._loading = state.loading;
    const keep = new Set(members);
    let focusLost = false;
    for (const [name, row] of this._rows) {
      if (!keep.has(name)) {
        focusLost = focusLost || row.contains(document.activeElement);
        row.remove();
        this._rows.delete(name);
      }
    }
    let previous: HTMLTableRowElement | null = null;
    for (const name of members) {
      let row = this._rows.get(name);
      if (!row) {
        row = this._createRow(name);
        this._rows.set(name, row);
      }
      this._buttons.get(row)!.disabled = state.busy;
      const expected: ChildNode | null = previous
        ? previous.nextSibling
        : this._tbody.firstChild;
      if (expected !== row) {
        this._tbody.insertBefore(row, expected);
      }
      previous = row;
    }
    this._applyFilter();
    if (focusLost) {
      this.filter.focus();
    }
  }

  /**
   * Show the members whose names match `text` (see `nameMatches`).
   *
   * @param text - The filter; empty shows everyone.
   */
  setFilter(text: string): void {
    this.filter.value = text;
    this._applyFilter();
  }

  /**
   * The "Remove" button of the row shown after `name`'s (or before it,
   * for the last row): where the focus goes when `name` leaves.
   *
   * @param name - A member.
   */
  neighbour(name: string): HTMLButtonElement | null {
    const row = this._rows.get(name);
    if (!row) {
      return null;
    }
    for (const step of [
      'nextElementSibling',
      'previousElementSibling'
    ] as const) {
      let next = row[step] as HTMLTableRowElement | null;
      while (next && next.hidden) {
        next = next[step] as HTMLTableRowElement | null;
      }
      if (next) {
        return this._buttons.get(next) ?? null;
      }
    }
    return null;
  }

  private _createRow(name: string): HTMLTableRowElement {
    const row = el('tr', 'jp-HubGroupsCourse-member');
    const cell = el('td', 'jp-HubGroupsCourse-name');
    cell.textContent = name;
    const actions = el('td', 'jp-HubGroupsCourse-actions');
    const remove = button(
      this._trans.__('Remove'),
      'jp-Button jp-mod-minimal jp-mod-small jp-HubGroupsCourse-remove'
    );
    remove.setAttribute('aria-label', this._trans.__('Remove %1', name));
    actions.append(remove);
    row.append(cell, actions);
    this._names.set(row, name);
    this._buttons.set(row, remove);
    return row;
  }

  /**
   * Hide the rows the filter leaves out, and say how many are shown.
   */
  private _applyFilter(): void {
    const trans = this._trans;
    const filter = this.filter.value;
    const total = this._members.length;
    let shown = 0;
    for (const [name, row] of this._rows) {
      const match = nameMatches(name, filter);
      row.hidden = !match;
      shown += match ? 1 : 0;
    }
    this._count.textContent =
      shown === total
        ? trans._n('%1 member', '%1 members', total)
        : trans.__('%1 of %2 shown', shown, total);
    this._empty.textContent = this._loading
      ? trans.__('Reading the members…')
      : total === 0
        ? trans.__('No members yet.')
        : shown === 0
          ? trans.__('No member matches "%1".', filter.trim())
          : '';
    this._empty.hidden = !this._empty.textContent;
  }

  private _trans: TranslationBundle;
  private _onRemove: (name: string) => void;
  private _count: HTMLElement;
  private _tbody: HTMLTableSectionElement;
  private _empty: HTMLElement;
  private _members: readonly string[] = [];
  private _loading = true;
  private _rows = new Map<string, HTMLTableRowElement>();
  private _names = new WeakMap<Element, string>();
  private _buttons = new WeakMap<Element, HTMLButtonElement>();
}

/**
 * A namespace for MembersTable statics.
 */
export namespace MembersTable {
  /**
   * Options to create the table.
   */
  export interface IOptions {
    /** A prefix for the ids of its elements (unique in the page). */
    id: string;
    /** The id of the heading that names the table. */
    labelledBy: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Called with a member's name when their "Remove" is pressed. */
    onRemove: (name: string) => void;
  }
}

/**
 * A table of a preview, problems first (what the instructor has to look
 * at): unknown users, invalid names, new members, members already.
 *
 * @param preview - The server's preview.
 * @param trans - The translation bundle.
 * @returns The table; names are text.
 */
export function previewTable(
  preview: IPreview,
  trans: TranslationBundle
): HTMLTableElement {
  const table = el(
    'table',
    'jp-HubGroupsCourse-table jp-HubGroupsCourse-previewTable'
  );
  table.setAttribute('aria-label', trans.__('Preview'));
  table.append(header([trans.__('Name'), trans.__('Result')]));
  const kinds: Array<['unknown' | 'invalid' | 'new' | 'member', string]> = [
    ['unknown', trans.__('unknown user')],
    ['invalid', trans.__('invalid')],
    ['new', trans.__('new')],
    ['member', trans.__('already a member')]
  ];
  // Why each invalid name is, when said: the instructor fixes it from that.
  const why = new Map((preview.problems ?? []).map(p => [p.name, p]));
  const rows = document.createDocumentFragment();
  for (const [kind, text] of kinds) {
    for (const name of preview[kind]) {
      const problem = kind === 'invalid' ? why.get(name) : undefined;
      const row = el('tr', `jp-HubGroupsCourse-previewRow jp-mod-${kind}`);
      const nameCell = el('td', 'jp-HubGroupsCourse-name');
      nameCell.textContent = name;
      const resultCell = el('td', 'jp-HubGroupsCourse-kind');
      resultCell.textContent = problem ? errorText(problem, trans) : text;
      row.append(nameCell, resultCell);
      rows.append(row);
    }
  }
  table.createTBody().append(rows);
  return table;
}

/**
 * A table head with column headers (`scope="col"`).
 */
function header(columns: readonly string[]): HTMLTableSectionElement {
  const head = document.createElement('thead');
  const row = head.insertRow();
  for (const text of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    row.append(th);
  }
  return head;
}
