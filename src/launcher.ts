import { ILauncher, LauncherModel } from '@jupyterlab/launcher';
import {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';

import { IHubGroups } from './tokens';

/**
 * The command our own launcher items run, with `{ id }` as args.
 */
export const OPEN_ITEM_COMMAND = 'hub-groups:open-item';

/**
 * A launcher item described in the settings (`items`).
 */
export interface IItemSettings {
  id: string;
  label: string;
  caption?: string;
  icon?: string;
  category?: string;
  rank?: number;
  /** Who may see it: members of any of these; empty means everyone logged in. */
  groups?: string[];
  /** A URL template; see {@link expandUrl}. */
  url?: string;
  /** Where a URL opens: a JupyterLab tab or a new browser tab. */
  target?: 'tab' | 'window';
  /** Or: a JupyterLab command to run, with its args. */
  command?: string;
  args?: ReadonlyPartialJSONObject;
}

/**
 * A rule hiding cards that other extensions add (`rules`).
 */
export interface IRuleSettings {
  /** The card's command, e.g. `notebook:create-new`; `*` for any. */
  command: string;
  /** Args the card must have (a subset), e.g. `{ "kernelName": "r" }`. */
  args?: ReadonlyPartialJSONObject;
  /** Members of any of these groups see the card; nobody else does. */
  groups: string[];
  /** Set by the `kernels` shorthand: any card of this kernel. */
  kernel?: string;
}

/**
 * The launcher settings, as read from `schema/launcher.json`.
 */
export interface ILauncherSettings {
  items: IItemSettings[];
  rules: IRuleSettings[];
  /** Shorthand: kernel name → groups, for every card of that kernel. */
  kernels: { [kernelName: string]: string[] };
}

/**
 * Whether a rule applies to a launcher card.
 *
 * @param rule - The rule.
 * @param item - The card.
 * @returns True if the command matches and every arg of the rule has the
 *   same value in the card's args.
 */
export function ruleMatches(
  rule: IRuleSettings,
  item: ILauncher.IItemOptions
): boolean {
  if (rule.command !== '*' && rule.command !== item.command) {
    return false;
  }
  const args = (item.args ?? {}) as ReadonlyJSONObject;
  if (rule.kernel !== undefined && kernelOf(args) !== rule.kernel) {
    return false;
  }
  return Object.entries(rule.args ?? {}).every(
    ([key, value]) => JSON.stringify(args[key]) === JSON.stringify(value)
  );
}

/**
 * The kernel a card starts: notebook cards say `kernelName`, console cards
 * `kernelPreference.name`.
 */
function kernelOf(args: ReadonlyJSONObject): string | undefined {
  if (typeof args.kernelName === 'string') {
    return args.kernelName;
  }
  const preference = args.kernelPreference as ReadonlyJSONObject | undefined;
  return typeof preference?.name === 'string' ? preference.name : undefined;
}

/**
 * All rules, with the `kernels` shorthand written out: a kernel's rule
 * matches any card that starts that kernel (notebook, console, …).
 */
export function allRules(settings: ILauncherSettings): IRuleSettings[] {
  return [
    ...settings.rules,
    ...Object.entries(settings.kernels).map(([kernel, groups]) => ({
      command: '*',
      kernel,
      groups
    }))
  ];
}

/**
 * A launcher model that shows each card only to those allowed to see it.
 *
 * #### Notes
 * JupyterLab has no API to hide cards that other extensions add, so this
 * model replaces the core one (see the launcher plugin). Cards stay in the
 * model; `items()` filters them, and `stateChanged` re-renders every open
 * launcher when the groups or the rules change.
 */
export class HubGroupsLauncherModel extends LauncherModel {
  /**
   * @param groups - The groups service.
   */
  constructor(private readonly _groups: IHubGroups) {
    super();
    this._groups.changed.connect(this._refresh, this);
  }

  /**
   * The rules for cards of other extensions.
   */
  get rules(): readonly IRuleSettings[] {
    return this._rules;
  }
  set rules(rules: readonly IRuleSettings[]) {
    this._rules = rules;
    this._refresh();
  }

  /**
   * Our own items' groups, by item id.
   */
  setItemGroups(groups: Map<string, string[]>): void {
    this._itemGroups = groups;
    this._refresh();
  }

  /**
   * The cards this user may see.
   */
  *items(): IterableIterator<ILauncher.IItemOptions> {
    for (const item of super.items()) {
      if (this.isVisible(item)) {
        yield item;
      }
    }
  }

  /**
   * Whether this user may see a card.
   *
   * @param item - A card, ours or another extension's.
   * @returns False for a gated card while the groups are unknown.
   */
  isVisible(item: ILauncher.IItemOptions): boolean {
    if (item.command === OPEN_ITEM_COMMAND) {
      const groups = this._itemGroups.get(String(item.args?.id));
      if (!groups || !this._allowed(groups)) {
        return false;
      }
    }
    return this._rules.every(
      rule => !ruleMatches(rule, item) || this._allowed(rule.groups)
    );
  }

  /**
   * Stop following the groups service.
   */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._groups.changed.disconnect(this._refresh, this);
    super.dispose();
  }

  private _allowed(groups: readonly string[]): boolean {
    if (groups.length === 0) {
      // Everyone logged in: known users, and plain `jupyter lab`.
      return this._groups.status === 'no-hub' || this._groups.isMemberOfAny([]);
    }
    return this._groups.isMemberOfAny(groups);
  }

  private _refresh(): void {
    this.stateChanged.emit(void 0);
  }

  private _rules: readonly IRuleSettings[] = [];
  private _itemGroups = new Map<string, string[]>();
}

/**
 * What the URL templates of items can use.
 */
export interface IUrlContext {
  baseUrl: string;
  hubPrefix: string;
  hubHost: string;
  user: string;
  serverUser: string;
}

/**
 * Fill a URL template, refusing anything but http(s) and relative URLs.
 *
 * @param template - e.g. `{base_url}proxy/8050/?user={user}`.
 * @param context - The values; user names are URL-encoded, paths encoded
 *   segment by segment.
 * @param origin - The page's URL, to resolve relative URLs against.
 * @returns The URL.
 * @throws Error with a message fit for a person when the URL is refused.
 *
 * #### Notes
 * A relative URL must stay on this site: the browser reads `//host`,
 * `\\host`, `/\host` (and the same with tabs or newlines inside, or
 * spaces and control characters before) as another site's address.
 */
export function expandUrl(
  template: string,
  context: IUrlContext,
  origin: string = window.location.href
): string {
  const path = (value: string) =>
    value.split('/').map(encodeURIComponent).join('/');
  const name = (value: string) => {
    // `.` and `..` would move up the path, and encoding does not help:
    // the URL parser reads `%2e` as a dot.
    if (value === '.' || value === '..') {
      throw new Error(`The user name "${value}" cannot be put in a URL.`);
    }
    return encodeURIComponent(value);
  };
  const host = /^https?:\/\/[^/?#\\]+$/i.test(context.hubHost)
    ? context.hubHost
    : '';
  const values: { [key: string]: () => string } = {
    base_url: () => path(context.baseUrl),
    hub_prefix: () => path(context.hubPrefix),
    hub_host: () => host,
    user: () => name(context.user),
    server_user: () => name(context.serverUser)
  };
  const url = template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, key)) {
      throw new Error(`Unknown placeholder ${whole} in URL "${template}".`);
    }
    return values[key]();
  });
  let resolved: URL;
  try {
    resolved = new URL(url, origin);
  } catch {
    throw new Error(`"${url}" is not a valid URL.`);
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new Error(
      `Refused to open "${url}": only http(s) and relative URLs are allowed.`
    );
  }
  // The URL as the browser's parser sees it: without leading and trailing
  // spaces and control characters, and without tabs and newlines anywhere.
  const seen = url
    // eslint-disable-next-line no-control-regex
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    .replace(/[\t\n\r]/g, '');
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(seen);
  if (
    relative &&
    (/^[/\\]{2}/.test(seen) || resolved.origin !== new URL(origin).origin)
  ) {
    throw new Error(
      `Refused to open "${url}": starting with two slashes (/ or \\), it ` +
        'opens another site; write an absolute https:// URL instead.'
    );
  }
  return url;
}

/**
 * SVG elements an icon may use. Everything else (script, foreignObject,
 * animations, images, styles) is dropped.
 */
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'rect',
  'defs',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'mask',
  'symbol',
  'use',
  'title',
  'desc',
  'text',
  'tspan'
]);

/**
 * Sanitize an SVG icon given in the settings.
 *
 * #### Notes
 * JupyterLab's HTML sanitizer does not allow SVG, so icons go through this
 * allow-list instead: known shape elements only, no event handlers, no
 * `style`, and links only to fragments of the icon itself.
 *
 * @param svg - The SVG source.
 * @returns The sanitized SVG source, or null if it is not an SVG.
 */
export function sanitizeSvg(svg: string): string | null {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (
    !root ||
    root.nodeName.toLowerCase() !== 'svg' ||
    doc.getElementsByTagName('parsererror').length
  ) {
    return null;
  }
  const clean = (element: Element) => {
    for (const child of Array.from(element.children)) {
      if (!SVG_ELEMENTS.has(child.nodeName.toLowerCase())) {
        child.remove();
      } else {
        clean(child);
      }
    }
    for (const attr of Array.from(element.attributes)) {
      const name = attr.name.toLowerCase();
      const isLink = name === 'href' || name.endsWith(':href');
      if (
        name.startsWith('on') ||
        name === 'style' ||
        (isLink && !attr.value.trim().startsWith('#')) ||
        /^\s*(javascript|data):/i.test(attr.value)
      ) {
        element.removeAttribute(attr.name);
      }
    }
  };
  clean(root);
  return new XMLSerializer().serializeToString(root);
}

/**
 * Read the launcher settings, keeping what is valid.
 *
 * @param composite - The settings' composite value.
 * @returns The settings, and a message per item or rule left out.
 */
export function readLauncherSettings(composite: ReadonlyPartialJSONObject): {
  settings: ILauncherSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const strings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every(v => typeof v === 'string');
  const items: IItemSettings[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of (Array.isArray(composite.items)
    ? composite.items
    : []
  ).entries()) {
    const item = raw as unknown as IItemSettings;
    const where = `items[${i}]`;
    if (!item || typeof item.id !== 'string' || !item.id) {
      problems.push(`${where}: an item needs an "id".`);
    } else if (seen.has(item.id)) {
      problems.push(`${where}: the id "${item.id}" is used twice.`);
    } else if (typeof item.label !== 'string' || !item.label) {
      problems.push(`${where} (${item.id}): an item needs a "label".`);
    } else if (!item.url === !item.command) {
      problems.push(
        `${where} (${item.id}): an item opens either a "url" or a "command".`
      );
    } else if (item.groups !== undefined && !strings(item.groups)) {
      problems.push(`${where} (${item.id}): "groups" must be a list of names.`);
    } else {
      seen.add(item.id);
      items.push(item);
    }
  }
  const rules: IRuleSettings[] = [];
  for (const [i, raw] of (Array.isArray(composite.rules)
    ? composite.rules
    : []
  ).entries()) {
    const rule = raw as unknown as IRuleSettings;
    if (!rule || typeof rule.command !== 'string' || !strings(rule.groups)) {
      problems.push(
        `rules[${i}]: a rule needs a "command" and a list of "groups".`
      );
    } else {
      rules.push(rule);
    }
  }
  const kernels: { [name: string]: string[] } = {};
  const rawKernels = (composite.kernels ?? {}) as { [name: string]: unknown };
  for (const [name, groups] of Object.entries(rawKernels)) {
    if (strings(groups)) {
      kernels[name] = groups;
    } else {
      problems.push(`kernels.${name}: must be a list of group names.`);
    }
  }
  return { settings: { items, rules, kernels }, problems };
}
