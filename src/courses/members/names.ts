/**
 * Reading user names the way instructors have them: pasted from a
 * spreadsheet or an e-mail, or in a CSV file exported from a course
 * management system. Pure functions, no DOM and no network.
 *
 * #### Notes
 * What the server extension does with the names (trimming, folding
 * duplicates case-insensitively, refusing a request with a name longer than
 * 255 characters) is mirrored here, so that a preview counts what will be
 * sent and one overlong name cannot make the whole request fail.
 */

/**
 * At most this many characters in a user name (JupyterHub's column size);
 * the server refuses a whole request with a longer one.
 */
export const MAX_NAME_LENGTH = 255;

/**
 * At most this many names in one request to the server; longer lists are
 * sent in parts.
 */
export const MAX_NAMES_PER_REQUEST = 5000;

/**
 * Column headers that name the user-name column, in order of preference,
 * compared without case, spaces, `_` or `-` (so `User Name` and
 * `user_name` are `username`).
 */
export const NAME_HEADERS: readonly string[] = [
  'username',
  'user',
  'login',
  'name'
];

/**
 * Names read from a paste or a file, ready to preview.
 */
export interface INamesRead {
  /** The names, trimmed, blanks dropped, duplicates folded, in order. */
  names: string[];
  /** How many entries were dropped as duplicates of an earlier one. */
  duplicates: number;
  /** Names longer than {@link MAX_NAME_LENGTH}: never sent, always invalid. */
  tooLong: string[];
  /** The header of the column the names came from, or null (no header). */
  column: string | null;
}

/**
 * Rows of a CSV text, and the separator found.
 */
export interface ICsv {
  /** Rows of fields (not trimmed); rows with only blank fields are left out. */
  rows: string[][];
  /** The field separator: `,`, `;`, a tab, or null for a single column. */
  separator: string | null;
}

/**
 * The preview of adding names to a group: what the server said of each.
 */
export interface IPreview {
  /** Users who exist and are not members yet. */
  new: string[];
  /** Users already in the group. */
  member: string[];
  /** Names no user of the hub has. */
  unknown: string[];
  /**
   * Names that are never sent to the hub: no user can have them (too
   * long, `/`, only dots, control characters), or a collaboration
   * account's (no person).
   */
  invalid: string[];
  /** Why, for each invalid name the server (or the page) said it of. */
  problems?: INameProblem[];
}

/**
 * Why a name is not added: the server's code (`invalid`,
 * `collaboration-account`, `unknown-user`, …) and sentence.
 */
export interface INameProblem {
  /** The name as sent. */
  name: string;
  /** The code. */
  error: string;
  /** The server's sentence (may be empty). */
  message: string;
}

/**
 * Parse CSV text: a leading byte-order mark dropped, `,`, `;` or tab as the
 * separator (whichever the first non-blank line has most of, outside
 * quotes), fields in double quotes with `""` for a quote (and separators
 * and line breaks inside), CRLF, LF or CR line ends, blank lines ignored.
 *
 * @param text - The file's text.
 * @returns The rows and the separator.
 */
export function parseCsv(text: string): ICsv {
  const source = stripBom(text);
  const separator = detectSeparator(source);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    if (row.some(cell => cell.trim() !== '')) {
      rows.push(row);
    }
    row = [];
    field = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (after blanks).
      field = '';
      quoted = true;
    } else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && source[i + 1] === '\n') {
        i++;
      }
      endRow();
    } else {
      field += ch;
    }
  }
  endRow();
  return { rows, separator };
}

/**
 * The names in a CSV file: the column headed `username` (or `user`,
 * `login`, `name`; see {@link NAME_HEADERS}), or the first column when the
 * first row is not such a header.
 *
 * @param text - The file's text.
 * @returns The names, folded, and which column they came from.
 */
export function namesFromCsv(text: string): INamesRead {
  const { rows } = parseCsv(text);
  if (!rows.length) {
    return foldNames([], null);
  }
  const found = headerColumn(rows[0]);
  const column = found === null ? 0 : found;
  const body = found === null ? rows : rows.slice(1);
  return foldNames(
    body.map(row => row[column] ?? ''),
    found === null ? null : rows[0][found].trim()
  );
}

/**
 * The names in pasted text: separated by line breaks, commas, semicolons,
 * tabs or spaces, a name in double quotes kept whole (`""` for a quote).
 * A paste of a table with a header row (from a spreadsheet: tabs, or a CSV
 * with `,` or `;`) is read as a CSV file instead: its name column only; a
 * single column's header (`username`, …) on the first line is left out.
 *
 * @param text - What was pasted or typed.
 * @returns The names, folded.
 */
export function namesFromText(text: string): INamesRead {
  const source = stripBom(text);
  const first = firstLine(source);
  if (first !== null) {
    const { rows, separator } = parseCsv(first.line);
    const found = rows.length ? headerColumn(rows[0]) : null;
    if (found !== null && separator !== null) {
      return namesFromCsv(source);
    }
    if (found !== null) {
      // One column with its header on top.
      return foldNames(
        tokenize(source.slice(first.end)),
        rows[0][found].trim()
      );
    }
  }
  return foldNames(tokenize(source), null);
}

/**
 * Trim names, drop blanks, fold duplicates (without case, as JupyterHub
 * lowercases names; the first spelling is kept) and set aside names too
 * long to send.
 *
 * @param raw - The names as read.
 * @param column - The header of their column, if any.
 */
export function foldNames(
  raw: readonly string[],
  column: string | null = null
): INamesRead {
  const names: string[] = [];
  const tooLong: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const entry of raw) {
    const name = entry.trim();
    if (!name) {
      continue;
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    (name.length > MAX_NAME_LENGTH ? tooLong : names).push(name);
  }
  return { names, duplicates, tooLong, column };
}

/**
 * Split a list into parts of at most `size` (one request each).
 *
 * @param items - The list.
 * @param size - The largest part.
 */
export function chunks<T>(
  items: readonly T[],
  size = MAX_NAMES_PER_REQUEST
): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    parts.push(items.slice(i, i + size));
  }
  return parts;
}

/**
 * Put previews of parts of a list together.
 *
 * @param parts - The server's previews, in order.
 * @param tooLong - Names never sent (they count as invalid).
 */
export function mergePreviews(
  parts: readonly IPreview[],
  tooLong: readonly string[] = []
): IPreview {
  const merged: IPreview = {
    new: [],
    member: [],
    unknown: [],
    invalid: [],
    problems: []
  };
  for (const part of parts) {
    merged.new.push(...part.new);
    merged.member.push(...part.member);
    merged.unknown.push(...part.unknown);
    merged.invalid.push(...part.invalid);
    merged.problems!.push(...(part.problems ?? []));
  }
  merged.invalid.push(...tooLong);
  return merged;
}

/**
 * Whether a member's name matches a filter: every word of the filter
 * appears in the name, without case. An empty filter matches everyone.
 *
 * @param name - A user name.
 * @param filter - What was typed in the filter box.
 */
export function nameMatches(name: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) {
    return true;
  }
  const folded = name.toLowerCase();
  return words.every(word => folded.includes(word));
}

/**
 * The index of the user-name column of a header row, or null when the row
 * is not such a header.
 */
function headerColumn(row: readonly string[]): number | null {
  const normalized = row.map(cell =>
    cell
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '')
  );
  for (const header of NAME_HEADERS) {
    const index = normalized.indexOf(header);
    if (index !== -1) {
      return index;
    }
  }
  return null;
}

/**
 * The separator a CSV text uses: the most frequent of `,`, `;` and tab
 * outside quotes on its first non-blank line (ties: `,` before `;` before
 * tab), or null when that line has none.
 */
function detectSeparator(text: string): string | null {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0]
  ]);
  let quoted = false;
  let started = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (started) {
        break;
      }
    } else if (!quoted && counts.has(ch)) {
      counts.set(ch, counts.get(ch)! + 1);
      started = true;
    } else if (ch.trim() !== '') {
      started = true;
    }
  }
  let best: string | null = null;
  for (const [separator, count] of counts) {
    if (count > 0 && (best === null || count > counts.get(best)!)) {
      best = separator;
    }
  }
  return best;
}

/**
 * The first non-blank line of a text (line breaks inside quotes do not end
 * it) and where it ends, or null.
 */
function firstLine(text: string): { line: string; end: number } | null {
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      quoted = !quoted;
    } else if (i === text.length || (!quoted && (ch === '\n' || ch === '\r'))) {
      const line = text.slice(start, i);
      if (line.trim() !== '') {
        return { line, end: i };
      }
      start = i + 1;
    }
  }
  return null;
}

/**
 * Split pasted text on line breaks, commas, semicolons and whitespace,
 * keeping a double-quoted name whole.
 */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        token += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        token += ch;
      }
    } else if (ch === '"' && token === '') {
      quoted = true;
    } else if (ch === ',' || ch === ';' || /\s/.test(ch)) {
      tokens.push(token);
      token = '';
    } else {
      token += ch;
    }
  }
  tokens.push(token);
  return tokens;
}

/**
 * The text without a leading byte-order mark.
 */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
