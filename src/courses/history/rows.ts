/**
 * A course's history as rows: what the service answers, read safely; the
 * filter by person and kind; and the CSV of the rows shown. No DOM, no
 * JupyterLab: tested alone.
 */

/**
 * What happened: a request's life (asked, approved, declined, withdrawn,
 * or joined for an open course) or a change made in the panel.
 */
export type HistoryKind =
  | 'asked'
  | 'approved'
  | 'declined'
  | 'withdrawn'
  | 'joined'
  | 'added'
  | 'removed';

/**
 * Every kind, in the filter's order.
 */
export const HISTORY_KINDS: readonly HistoryKind[] = [
  'asked',
  'approved',
  'declined',
  'withdrawn',
  'joined',
  'added',
  'removed'
];

/**
 * One event of a course's history.
 */
export interface IHistoryEvent {
  /** When (ISO 8601, with its offset). */
  readonly at: string;
  /** What happened. */
  readonly kind: HistoryKind;
  /** To whom: the person who asked, was added or removed. */
  readonly user: string;
  /** By whom; null when nobody in the panel did it. */
  readonly by: string | null;
  /** Why a request was declined, if the instructor said. */
  readonly reason?: string | null;
}

/**
 * The events of an answer that are well formed (others are dropped).
 *
 * @param body - `GET courses/<g>/history`'s answer.
 * @returns The events, as sent (newest first).
 */
export function readEvents(body: any): IHistoryEvent[] {
  const events = Array.isArray(body?.events) ? body.events : [];
  return events
    .filter(
      (e: any) =>
        e &&
        typeof e.at === 'string' &&
        typeof e.user === 'string' &&
        (HISTORY_KINDS as readonly string[]).includes(e.kind)
    )
    .map((e: any) => ({
      at: e.at,
      kind: e.kind,
      user: e.user,
      by: typeof e.by === 'string' ? e.by : null,
      reason: typeof e.reason === 'string' ? e.reason : null
    }));
}

/**
 * What the history is narrowed to.
 */
export interface IHistoryFilter {
  /** Part of a name (the person's or the decider's), any case; '' for all. */
  readonly person: string;
  /** One kind, or '' for all. */
  readonly kind: HistoryKind | '';
}

/**
 * The events that match a filter, in their order.
 *
 * @param events - The events.
 * @param filter - The person (part of a name) and the kind.
 * @returns The events whose person or decider contains `person` (any
 *   case) and whose kind is `kind`.
 */
export function filterEvents(
  events: readonly IHistoryEvent[],
  filter: IHistoryFilter
): IHistoryEvent[] {
  const person = filter.person.trim().toLocaleLowerCase();
  return events.filter(
    e =>
      (!filter.kind || e.kind === filter.kind) &&
      (!person ||
        e.user.toLocaleLowerCase().includes(person) ||
        (e.by ?? '').toLocaleLowerCase().includes(person))
  );
}

/**
 * One CSV cell, safe to open in a spreadsheet: a cell that starts with
 * `=`, `+`, `-`, `@` (or a tab or carriage return, which some read first)
 * is prefixed with `'`, so it is never run as a formula; a cell with a
 * comma, a quote or a line break is quoted, its quotes doubled.
 *
 * @param value - The text.
 * @returns The cell.
 */
export function csvCell(value: string): string {
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV file (RFC 4180: CRLF between records) of rows.
 *
 * @param header - The column names.
 * @param rows - The cells of each row.
 * @returns The file's text.
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[]
): string {
  return (
    [header, ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') +
    '\r\n'
  );
}

/**
 * The file name of a course's history exported now.
 *
 * @param group - The course.
 * @param now - The moment.
 * @returns `history-<course>-<YYYY-MM-DD>.csv`, the course's characters
 *   that a file name may not hold replaced by `_`.
 */
export function csvFileName(group: string, now: Date): string {
  const safe = group.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  return `history-${safe}-${now.toISOString().slice(0, 10)}.csv`;
}
