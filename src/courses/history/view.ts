/**
 * The "History" section of a course's members panel: requests asked,
 * approved, declined and withdrawn, and people added and removed in the
 * panel, with who did it and when; filtered by person and kind, newest
 * first, shown a page at a time, and exported as CSV.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { errorMessage } from '../../common/wording';
import { button, el } from '../dom';
import { HistoryClient } from './client';
import {
  csvFileName,
  filterEvents,
  HISTORY_KINDS,
  HistoryKind,
  IHistoryEvent,
  toCsv
} from './rows';

import '../../../style/history.css';

/**
 * The history section, closed until opened (a `details` element: the
 * keyboard and screen readers know it); read when opened, on Refresh, and
 * when something changed in the panel while it is open.
 *
 * #### Notes
 * Names and reasons come from people: they are set as text, never HTML.
 * The CSV holds the rows the filter shows (every page of them).
 */
export class HistorySection implements IDisposable {
  /**
   * @param options - The client, the course, ids, the bundle.
   */
  constructor(options: HistorySection.IOptions) {
    const trans = (this._trans = options.trans);
    this._client = options.client;
    this.group = options.group;
    this._download = options.download ?? Private.download;
    const id = `${options.id}-history`;

    const node = (this.node = el(
      'details',
      'jp-HubGroupsCourse-section jp-HubGroupsHistory'
    ));
    const summary = el('summary', 'jp-HubGroupsHistory-summary');
    const heading = el('h3', 'jp-HubGroupsCourse-heading');
    heading.id = id;
    heading.textContent = trans.__('History');
    summary.append(heading);
    node.append(summary);
    node.addEventListener('toggle', () => {
      if (node.open && !this._loaded) {
        void this.refresh();
      }
    });

    const controls = el(
      'div',
      'jp-HubGroupsCourse-row jp-HubGroupsHistory-controls'
    );
    this._person = el('input', 'jp-mod-styled jp-HubGroupsHistory-person');
    this._person.type = 'search';
    this._person.placeholder = trans.__('Filter by person');
    this._person.setAttribute('aria-label', trans.__('Filter by person'));
    this._person.addEventListener('input', () => this._render(true));
    this._kind = el('select', 'jp-mod-styled jp-HubGroupsHistory-kind');
    this._kind.setAttribute('aria-label', trans.__('Filter by what happened'));
    this._kind.append(Private.option('', trans.__('Everything')));
    for (const kind of HISTORY_KINDS) {
      this._kind.append(Private.option(kind, kindLabel(kind, trans)));
    }
    this._kind.addEventListener('change', () => this._render(true));
    this._refresh = button(
      trans.__('Refresh'),
      'jp-Button jp-mod-minimal jp-mod-small'
    );
    this._refresh.addEventListener('click', () => void this.refresh());
    this._export = button(
      trans.__('Export CSV'),
      'jp-mod-styled jp-HubGroupsHistory-export'
    );
    this._export.title = trans.__(
      'Download the events the filter shows, as a CSV file'
    );
    this._export.addEventListener('click', () => this.exportCsv());
    controls.append(this._person, this._kind, this._refresh, this._export);

    this._status = el('p', 'jp-HubGroupsHistory-status');
    // Announced politely; not role=status, which names the panel's result
    this._status.setAttribute('aria-live', 'polite');

    const table = el(
      'table',
      'jp-HubGroupsCourse-table jp-HubGroupsHistory-table'
    );
    table.setAttribute('aria-labelledby', id);
    const head = table.createTHead().insertRow();
    for (const label of this._columns()) {
      const th = el('th', '');
      th.scope = 'col';
      th.textContent = label;
      head.append(th);
    }
    this._body = table.createTBody();
    this._more = button('', 'jp-mod-styled jp-HubGroupsHistory-more');
    this._more.addEventListener('click', () => {
      this._shown += Private.PAGE;
      this._render(false);
    });
    node.append(controls, this._status, table, this._more);
    this._render(true);
  }

  /**
   * The section's element, to put in the panel.
   */
  readonly node: HTMLDetailsElement;

  /**
   * The course.
   */
  readonly group: string;

  /**
   * Whether the section was disposed.
   */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * The events the filter shows, newest first (every page).
   */
  get rows(): readonly IHistoryEvent[] {
    return filterEvents(this._events, {
      person: this._person.value,
      kind: this._kind.value as HistoryKind | ''
    });
  }

  /**
   * Read the history again (only while open: else at the next opening).
   *
   * @returns Resolves once shown (or failed: said in the status line).
   */
  async refresh(): Promise<void> {
    if (!this.node.open) {
      this._loaded = false;
      return;
    }
    const epoch = ++this._epoch;
    this._loading = true;
    this._render(false);
    try {
      const history = await this._client.history(this.group);
      if (epoch !== this._epoch || this._disposed) {
        return;
      }
      this._events = history.events;
      this._truncated = history.truncated;
      this._error = '';
      this._loaded = true;
    } catch (reason) {
      if (epoch !== this._epoch || this._disposed) {
        return;
      }
      console.error('jupyterlab-hub-groups: cannot read the history', reason);
      this._error = errorMessage(reason, this._trans);
    }
    this._loading = false;
    this._render(false);
  }

  /**
   * Download the rows the filter shows as a CSV file.
   */
  exportCsv(): void {
    const trans = this._trans;
    const rows = this.rows.map(e => [
      e.at,
      kindLabel(e.kind, trans),
      e.user,
      e.by ?? trans.__('outside the panel'),
      e.reason ?? ''
    ]);
    const text = toCsv(this._columns(), rows);
    this._download(csvFileName(this.group, new Date()), text);
  }

  /**
   * Stop answering reads in flight. Idempotent.
   */
  dispose(): void {
    this._disposed = true;
    this._epoch++;
  }

  private _columns(): string[] {
    const trans = this._trans;
    return [
      trans.__('When'),
      trans.__('What'),
      trans.__('Who'),
      trans.__('By whom'),
      trans.__('Reason')
    ];
  }

  /**
   * Show the rows; `first` goes back to the first page (a new filter).
   */
  private _render(first: boolean): void {
    const trans = this._trans;
    if (first) {
      this._shown = Private.PAGE;
    }
    const rows = this.rows;
    const shown = rows.slice(0, this._shown);
    this._body.replaceChildren(...shown.map(e => this._row(e)));
    const more = Math.min(Private.PAGE, rows.length - shown.length);
    this._more.hidden = more <= 0;
    this._more.textContent = trans.__('Show %1 more', more);
    this._export.disabled = !rows.length;
    this._refresh.disabled = this._loading;
    this.node.setAttribute('aria-busy', this._loading ? 'true' : 'false');
    let status: string;
    if (this._loading && !this._loaded) {
      status = trans.__('Reading the history…');
    } else if (this._error) {
      status = trans.__('Cannot read the history: %1', this._error);
    } else if (!this._events.length) {
      status = trans.__('Nothing has happened here yet.');
    } else if (rows.length === this._events.length) {
      status = trans._n('%1 event', '%1 events', rows.length);
    } else {
      status = trans.__('%1 of %2 events', rows.length, this._events.length);
    }
    if (this._truncated && !this._error) {
      status += ` ${trans.__('Only the newest %1 are kept here.', this._events.length)}`;
    }
    this._status.textContent = status;
    this._status.classList.toggle('jp-mod-error', !!this._error);
  }

  private _row(event: IHistoryEvent): HTMLTableRowElement {
    const trans = this._trans;
    const row = el('tr', `jp-HubGroupsHistory-row jp-mod-${event.kind}`);
    const when = el('td', '');
    const time = el('time', '');
    time.dateTime = event.at;
    time.textContent = new Date(event.at).toLocaleString();
    when.append(time);
    const what = el('td', 'jp-HubGroupsHistory-what');
    what.textContent = kindLabel(event.kind, trans);
    const who = el('td', '');
    who.textContent = event.user;
    const by = el('td', event.by === null ? 'jp-HubGroupsHistory-nobody' : '');
    by.textContent = event.by ?? trans.__('outside the panel');
    const reasonCell = el('td', 'jp-HubGroupsHistory-reason');
    reasonCell.dir = 'auto';
    reasonCell.textContent = event.reason ?? '';
    row.append(when, what, who, by, reasonCell);
    return row;
  }

  private _trans: TranslationBundle;
  private _client: HistoryClient;
  private _download: (name: string, text: string) => void;
  private _person: HTMLInputElement;
  private _kind: HTMLSelectElement;
  private _refresh: HTMLButtonElement;
  private _export: HTMLButtonElement;
  private _status: HTMLElement;
  private _body: HTMLTableSectionElement;
  private _more: HTMLButtonElement;
  private _events: IHistoryEvent[] = [];
  private _truncated = false;
  private _loaded = false;
  private _loading = false;
  private _error = '';
  private _shown = 0;
  private _epoch = 0;
  private _disposed = false;
}

/**
 * The words of a kind, for the table, the filter and the CSV.
 *
 * @param kind - What happened.
 * @param trans - The bundle.
 */
export function kindLabel(kind: HistoryKind, trans: TranslationBundle): string {
  switch (kind) {
    case 'asked':
      return trans.__('asked to join');
    case 'approved':
      return trans.__('approved');
    case 'declined':
      return trans.__('declined');
    case 'withdrawn':
      return trans.__('withdrew');
    case 'joined':
      return trans.__('joined');
    case 'added':
      return trans.__('added');
    case 'removed':
      return trans.__('removed');
  }
}

/**
 * A namespace for HistorySection statics.
 */
export namespace HistorySection {
  /**
   * Options to create the section.
   */
  export interface IOptions {
    /** The history API. */
    client: HistoryClient;
    /** The course. */
    group: string;
    /** The panel's id prefix. */
    id: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** Save a file (default: the browser's download, a Blob and a link). */
    download?: (name: string, text: string) => void;
  }
}

namespace Private {
  /** Rows shown at once; "Show more" adds as many. */
  export const PAGE = 100;

  /**
   * An option of a select.
   */
  export function option(value: string, label: string): HTMLOptionElement {
    const node = document.createElement('option');
    node.value = value;
    node.textContent = label;
    return node;
  }

  /**
   * Download a text file through the browser: a Blob, a link, a click.
   * A byte order mark first, so that spreadsheets read UTF-8.
   */
  export function download(name: string, text: string): void {
    const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // after the click has been handled
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
