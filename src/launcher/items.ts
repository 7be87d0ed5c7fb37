import { ILauncher, LauncherModel } from '@jupyterlab/launcher';
import { LabIcon, linkIcon } from '@jupyterlab/ui-components';
import {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';

import { IHubGroups } from '../tokens';

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
 * The namespaces an icon may use.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * SVG elements an icon may use (local names, in the SVG namespace).
 * Everything else (script, foreignObject, a, image, animations, styles) is
 * dropped with its content.
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
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'symbol',
  'use',
  'title',
  'desc',
  'text',
  'tspan'
]);

/**
 * Elements that keep their text only. In HTML, `title` and `desc` inside an
 * `<svg>` hold HTML: any element in them would be parsed as HTML when
 * JupyterLab renders the icon.
 */
const TEXT_ONLY = new Set(['title', 'desc']);

/**
 * The longest icon accepted: a launcher card copies its icon for every
 * launcher, and an icon is a few kilobytes.
 */
const MAX_ICON_LENGTH = 100_000;

/**
 * Sanitize an SVG icon given in the settings.
 *
 * #### Notes
 * JupyterLab's HTML sanitizer does not allow SVG, so icons go through this
 * allow-list instead. The icon is parsed as XML and a new tree is built from
 * what is allowed: known shape elements in the SVG namespace, their text,
 * attributes without a namespace (no event handlers, no `style`, links only
 * to fragments of the icon itself, no `url()` but `url(#…)`), `xlink:href`
 * to a fragment, `xml:space` and `xml:lang`. Comments, processing
 * instructions, CDATA sections and the DOCTYPE are dropped (a DOCTYPE
 * declaring entities is refused): the HTML parser
 * that renders the icon in the end reads them differently from XML (`<!-->`
 * ends a comment there), which is how markup hidden in them comes alive.
 *
 * @param svg - The SVG source.
 * @returns The sanitized SVG source, or null if it is not an SVG document
 *   (its root must be `<svg xmlns="http://www.w3.org/2000/svg">`).
 */
export function sanitizeSvg(svg: string): string | null {
  // Entities declared in the icon itself (a DOCTYPE with `[…]`) are refused
  // before parsing: markup that exists only once expanded, and exponential
  // expansion.
  if (svg.length > MAX_ICON_LENGTH || /<!DOCTYPE[^>]*\[/i.test(svg)) {
    return null;
  }
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (
    !root ||
    root.namespaceURI !== SVG_NS ||
    root.localName !== 'svg' ||
    doc.getElementsByTagName('parsererror').length
  ) {
    return null;
  }
  const clean = document.implementation.createDocument(SVG_NS, 'svg', null);
  const copy = (from: Element, to: Element) => {
    Private.copyAttributes(from, to);
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(clean.createTextNode(child.nodeValue ?? ''));
      } else if (
        child instanceof Element &&
        child.namespaceURI === SVG_NS &&
        SVG_ELEMENTS.has(child.localName) &&
        !TEXT_ONLY.has(from.localName)
      ) {
        const element = clean.createElementNS(SVG_NS, child.localName);
        to.appendChild(element);
        copy(child, element);
      }
      // Anything else is left out: comments, processing instructions,
      // CDATA sections, and elements not allowed here.
    }
  };
  copy(root, clean.documentElement);
  return new XMLSerializer().serializeToString(clean.documentElement);
}

/**
 * The `svgstr` to give JupyterLab's `LabIcon` for an SVG icon from the
 * settings.
 *
 * #### Notes
 * `LabIcon` does not parse its `svgstr` as is: it first runs
 * `decodeURIComponent` on it (a `%` throws, and blanks the whole launcher;
 * `%3C…%3E` turns into markup the sanitizer never saw), condenses
 * whitespace, and reads `data:` URLs. So it gets the sanitized SVG as a
 * `data:image/svg+xml;base64,` URL: base64 has no `%` and no whitespace, and
 * `atob` gives back exactly the sanitized SVG. `atob` yields Latin-1, so
 * every character outside printable ASCII is first written as an XML
 * character reference (`&#x…;`), which is the same character to the XML
 * parser. (The other way, `encodeURIComponent`, would break on `\r`, U+2028
 * and U+2029, where `LabIcon`'s `(.*)` stops.) Character references are
 * only valid in text and attribute values: element and attribute names are
 * ASCII here, by the sanitizer's rules.
 *
 * @param svg - The SVG source from the settings.
 * @returns The `svgstr`, or null if the icon is not an SVG document.
 */
export function labIconSvgstr(svg: string): string | null {
  const clean = sanitizeSvg(svg);
  if (clean === null) {
    return null;
  }
  let ascii = '';
  for (const char of clean) {
    const code = char.codePointAt(0)!;
    ascii += code >= 0x20 && code < 0x7f ? char : `&#x${code.toString(16)};`;
  }
  return `data:image/svg+xml;base64,${btoa(ascii)}`;
}

/**
 * A JupyterLab icon name: `package:name`.
 */
const ICON_NAME = /^[\w@./-]+:[\w.-]+$/;

/**
 * The icon of an item: a JupyterLab icon by name, or a sanitized SVG that
 * has been rendered once, the way a launcher card renders it.
 *
 * @param item - The item.
 * @returns The icon (the link icon when the item has none).
 * @throws Error saying why, when the icon cannot be shown.
 *
 * #### Notes
 * An icon that fails to render must not reach a launcher: the launcher is
 * one React tree, and one icon throwing there empties it.
 */
export function itemIcon(item: IItemSettings): LabIcon {
  if (item.icon === undefined) {
    return linkIcon;
  }
  if (typeof item.icon !== 'string') {
    throw new Error('"icon" must be text: an icon name or an SVG document.');
  }
  const icon = item.icon.trim();
  if (!icon) {
    return linkIcon;
  }
  if (!icon.startsWith('<')) {
    if (!ICON_NAME.test(icon)) {
      throw new Error(
        'the icon is neither a JupyterLab icon name (such as ' +
          '"ui-components:python") nor an SVG document.'
      );
    }
    // An icon another extension registers later replaces the placeholder.
    return LabIcon.resolve({ icon });
  }
  const svgstr = labIconSvgstr(icon);
  if (!svgstr) {
    throw new Error(
      'the icon is not an SVG document: it must be one <svg> element in ' +
        `the namespace ${SVG_NS}, declaring no entities, of at most ` +
        `${MAX_ICON_LENGTH} characters.`
    );
  }
  const name = `jupyterlab-hub-groups:item-${item.id}`;
  // Checked before a LabIcon of that name exists or changes: LabIcon
  // re-renders the cards of an icon whose svgstr changes.
  Private.checkRenders(name, svgstr);
  const labIcon = new LabIcon({ name, svgstr });
  let element: HTMLElement;
  try {
    element = labIcon.element();
  } catch (reason) {
    throw new Error(`the icon does not render: ${reason}`);
  }
  // LabIcon renders an empty element for an SVG it cannot parse.
  if (!element.querySelector('svg')) {
    throw new Error('the icon does not render.');
  }
  return labIcon;
}

/**
 * Something wrong in the launcher settings: what is left out, and why.
 */
export interface ILauncherProblem {
  /** What is left out, as people name it: an item's id, `items[3]`, `rules[0]`. */
  subject: string;
  /** Why, for the person who wrote the settings. */
  message: string;
}

/**
 * The launcher settings as read: what is valid, the items' icons, and what
 * was left out.
 */
export interface IReadLauncherSettings {
  settings: ILauncherSettings;
  /** Each item's icon, by item id. */
  icons: Map<string, LabIcon>;
  problems: ILauncherProblem[];
}

/**
 * Longest texts of an item, in characters: a card shows a few words.
 */
const MAX_LENGTH = { id: 200, label: 200, caption: 1000, category: 200 };

/**
 * Read the launcher settings, keeping what is valid.
 *
 * @param composite - The settings' composite value.
 * @param context - The page's values for URL templates: each item's URL is
 *   filled once here, so that an item whose URL would be refused on click
 *   is not shown at all.
 * @param origin - The page's URL.
 * @returns The settings, the items' icons, and a problem per item or rule
 *   left out.
 *
 * #### Notes
 * Each item is read on its own: one bad item (its icon, label, URL or
 * command) is left out, the others stay.
 */
export function readLauncherSettings(
  composite: ReadonlyPartialJSONObject,
  context: IUrlContext,
  origin: string = window.location.href
): IReadLauncherSettings {
  const problems: ILauncherProblem[] = [];
  const items: IItemSettings[] = [];
  const icons = new Map<string, LabIcon>();
  const seen = new Set<string>();
  for (const [i, raw] of (Array.isArray(composite.items)
    ? composite.items
    : []
  ).entries()) {
    const item = raw as unknown as IItemSettings;
    const hasId =
      Private.isObject(item) && Private.isText(item.id, MAX_LENGTH.id);
    const subject = hasId ? item.id : `items[${i}]`;
    let message: string | null;
    let icon: LabIcon | null = null;
    try {
      message = Private.checkItem(item, seen, context, origin);
      if (message === null) {
        icon = itemIcon(item);
      }
    } catch (reason) {
      message = (reason as Error)?.message ?? String(reason);
    }
    if (hasId) {
      seen.add(item.id);
    }
    if (message !== null || !icon) {
      problems.push({ subject, message: message ?? 'no icon.' });
    } else {
      items.push(item);
      icons.set(item.id, icon);
    }
  }
  const rules: IRuleSettings[] = [];
  for (const [i, raw] of (Array.isArray(composite.rules)
    ? composite.rules
    : []
  ).entries()) {
    const rule = raw as unknown as IRuleSettings;
    if (
      !Private.isObject(rule) ||
      typeof rule.command !== 'string' ||
      !Private.isNames(rule.groups) ||
      (rule.args !== undefined && !Private.isObject(rule.args))
    ) {
      problems.push({
        subject: `rules[${i}]`,
        message: 'a rule needs a "command" and a list of "groups".'
      });
    } else {
      rules.push(rule);
    }
  }
  const kernels: { [name: string]: string[] } = {};
  const rawKernels = Private.isObject(composite.kernels)
    ? (composite.kernels as { [name: string]: unknown })
    : {};
  for (const [name, groups] of Object.entries(rawKernels)) {
    if (Private.isNames(groups)) {
      kernels[name] = groups;
    } else {
      problems.push({
        subject: `kernels.${name}`,
        message: 'must be a list of group names.'
      });
    }
  }
  return { settings: { items, rules, kernels }, icons, problems };
}

namespace Private {
  /**
   * Whether a value is a plain object (not null, not a list).
   */
  export function isObject(value: unknown): value is { [key: string]: any } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /**
   * Whether a value is text with something in it, of at most `max`
   * characters.
   */
  export function isText(value: unknown, max: number): value is string {
    return typeof value === 'string' && !!value.trim() && value.length <= max;
  }

  /**
   * Whether a value is a list of names.
   */
  export function isNames(value: unknown): value is string[] {
    return Array.isArray(value) && value.every(v => typeof v === 'string');
  }

  /**
   * What is wrong with an item, but its icon.
   *
   * @returns A message for a person, or null if the item is fine.
   * @throws Error from `expandUrl` when its URL is refused.
   */
  export function checkItem(
    item: IItemSettings,
    seen: ReadonlySet<string>,
    context: IUrlContext,
    origin: string
  ): string | null {
    if (!isObject(item)) {
      return 'an item must be an object.';
    }
    if (!isText(item.id, MAX_LENGTH.id)) {
      return `an item needs an "id" (text, at most ${MAX_LENGTH.id} characters).`;
    }
    if (seen.has(item.id)) {
      return `the id "${item.id}" is used twice.`;
    }
    if (!isText(item.label, MAX_LENGTH.label)) {
      return `an item needs a "label" (text, at most ${MAX_LENGTH.label} characters).`;
    }
    if (
      item.caption !== undefined &&
      (typeof item.caption !== 'string' ||
        item.caption.length > MAX_LENGTH.caption)
    ) {
      return `"caption" must be text of at most ${MAX_LENGTH.caption} characters.`;
    }
    if (
      item.category !== undefined &&
      !isText(item.category, MAX_LENGTH.category)
    ) {
      return `"category" must be text of at most ${MAX_LENGTH.category} characters.`;
    }
    if (
      item.rank !== undefined &&
      (typeof item.rank !== 'number' || !Number.isFinite(item.rank))
    ) {
      return '"rank" must be a number.';
    }
    if (item.groups !== undefined && !isNames(item.groups)) {
      return '"groups" must be a list of names.';
    }
    if (!item.url === !item.command) {
      return 'an item opens either a "url" or a "command".';
    }
    if (item.command !== undefined) {
      if (typeof item.command !== 'string') {
        return '"command" must be a command id.';
      }
      if (item.args !== undefined && !isObject(item.args)) {
        return '"args" must be an object.';
      }
      return null;
    }
    if (typeof item.url !== 'string') {
      return '"url" must be text.';
    }
    if (
      item.target !== undefined &&
      item.target !== 'tab' &&
      item.target !== 'window'
    ) {
      return '"target" must be "tab" or "window".';
    }
    expandUrl(item.url, context, origin);
    return null;
  }

  /**
   * Copy the attributes an icon may have.
   *
   * #### Notes
   * Names must be plain ASCII: the svgstr writes other characters as
   * character references, which XML allows in values, not in names.
   */
  export function copyAttributes(from: Element, to: Element): void {
    for (const attr of Array.from(from.attributes)) {
      const name = attr.localName;
      const value = attr.value;
      if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
        continue;
      }
      if (attr.namespaceURI === null) {
        const lower = name.toLowerCase();
        if (
          lower.startsWith('on') ||
          lower === 'style' ||
          (lower === 'href' && !isFragment(value)) ||
          UNSAFE_VALUE.test(value) ||
          EXTERNAL_URL.test(value)
        ) {
          continue;
        }
        to.setAttribute(name, value);
      } else if (
        attr.namespaceURI === XLINK_NS &&
        name === 'href' &&
        isFragment(value)
      ) {
        to.setAttributeNS(XLINK_NS, 'xlink:href', value);
      } else if (
        attr.namespaceURI === XML_NS &&
        (name === 'space' || name === 'lang')
      ) {
        to.setAttributeNS(XML_NS, `xml:${name}`, value);
      }
      // Other namespaces (xmlns declarations included) are left out: the
      // serializer declares what the clean tree needs.
    }
  }

  /**
   * A link to a fragment of the icon itself.
   */
  function isFragment(value: string): boolean {
    return /^#[\w.:-]+$/.test(value);
  }

  /**
   * Values no shape needs: script and data URLs.
   */
  const UNSAFE_VALUE = /[a-z]script\s*:|data\s*:/i;

  /**
   * `url(…)` to anything but a fragment of the icon (a gradient, a mask):
   * an icon loads nothing from elsewhere.
   */
  const EXTERNAL_URL = /url\s*\(\s*(?!['"]?#)/i;

  /**
   * Check that an svgstr renders safely the way JupyterLab renders icons.
   *
   * @throws Error saying why it does not.
   *
   * #### Notes
   * `LabIcon.resolveSvg` is what every LabIcon runs (its `svgstrShim`
   * included). A launcher card then puts the element's markup into an
   * `<svg>` of the page through React, where the HTML parser reads it:
   * a `<template>` does the same parsing without running or loading
   * anything. In both trees, every element must be SVG, with no handler.
   */
  export function checkRenders(name: string, svgstr: string): void {
    let element: Element | null;
    try {
      element = LabIcon.resolveSvg({ name, svgstr });
    } catch (reason) {
      throw new Error(`the icon does not render: ${reason}`);
    }
    if (
      !element ||
      element.namespaceURI !== SVG_NS ||
      element.localName !== 'svg'
    ) {
      throw new Error('the icon does not render.');
    }
    const template = document.createElement('template');
    template.innerHTML = `<svg>${element.innerHTML}</svg>`;
    for (const tree of [element, template.content]) {
      for (const node of Array.from(tree.querySelectorAll('*'))) {
        if (
          node.namespaceURI !== SVG_NS ||
          Array.from(node.attributes).some(a => /^on/i.test(a.localName))
        ) {
          throw new Error(
            `the icon would render <${node.localName}> unsafely.`
          );
        }
      }
    }
  }
}
