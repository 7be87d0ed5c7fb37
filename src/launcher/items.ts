import { LabIcon, linkIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IRuleSettings } from './model';
import { svgIcon } from './svg';
import { expandUrl, IUrlContext } from './url';

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
 * The launcher settings, as read from `schema/launcher.json`.
 */
export interface ILauncherSettings {
  items: IItemSettings[];
  rules: IRuleSettings[];
  /** Shorthand: kernel name → groups, for every card of that kernel. */
  kernels: { [kernelName: string]: string[] };
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
  return svgIcon(icon);
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
  const reader = new Private.SettingsReader(composite, context, origin);
  while (!reader.step()) {
    // every item, at once
  }
  return reader.result();
}

/**
 * {@link readLauncherSettings}, yielding to the browser between slices of
 * items, so that hundreds of items never make one long task.
 *
 * @param composite - The settings' composite value.
 * @param context - The page's values for URL templates.
 * @param origin - The page's URL.
 * @param budget - Milliseconds of work between two yields.
 * @returns The same as {@link readLauncherSettings}.
 */
export async function readLauncherSettingsInSlices(
  composite: ReadonlyPartialJSONObject,
  context: IUrlContext,
  origin: string = window.location.href,
  budget = 8
): Promise<IReadLauncherSettings> {
  const reader = new Private.SettingsReader(composite, context, origin);
  for (;;) {
    const until = performance.now() + budget;
    let done = reader.step();
    while (!done && performance.now() < until) {
      done = reader.step();
    }
    if (done) {
      return reader.result();
    }
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

namespace Private {
  /**
   * Reads the settings one item at a time (see `step`).
   */
  export class SettingsReader {
    constructor(
      composite: ReadonlyPartialJSONObject,
      private readonly _context: IUrlContext,
      private readonly _origin: string
    ) {
      this._composite = composite;
      this._raw = Array.isArray(composite.items) ? composite.items : [];
    }

    /**
     * Read the next item; true once every item has been read.
     */
    step(): boolean {
      if (this._next >= this._raw.length) {
        return true;
      }
      const i = this._next++;
      const item = this._raw[i] as unknown as IItemSettings;
      const hasId = isObject(item) && isText(item.id, MAX_LENGTH.id);
      const subject = hasId ? item.id : `items[${i}]`;
      let message: string | null;
      let icon: LabIcon | null = null;
      try {
        message = checkItem(item, this._seen, this._context, this._origin);
        if (message === null) {
          icon = itemIcon(item);
        }
      } catch (reason) {
        message = (reason as Error)?.message ?? String(reason);
      }
      if (hasId) {
        this._seen.add(item.id);
      }
      if (message !== null || !icon) {
        this._problems.push({ subject, message: message ?? 'no icon.' });
      } else {
        this._items.push(item);
        this._icons.set(item.id, icon);
      }
      return this._next >= this._raw.length;
    }

    /**
     * The settings read, with the rules and kernels (quick to read).
     */
    result(): IReadLauncherSettings {
      const problems = this._problems;
      const composite = this._composite;
      const rules: IRuleSettings[] = [];
      for (const [i, raw] of (Array.isArray(composite.rules)
        ? composite.rules
        : []
      ).entries()) {
        const rule = raw as unknown as IRuleSettings;
        if (
          !isObject(rule) ||
          typeof rule.command !== 'string' ||
          !isNames(rule.groups) ||
          (rule.args !== undefined && !isObject(rule.args))
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
      const rawKernels = isObject(composite.kernels)
        ? (composite.kernels as { [name: string]: unknown })
        : {};
      for (const [name, groups] of Object.entries(rawKernels)) {
        if (isNames(groups)) {
          kernels[name] = groups;
        } else {
          problems.push({
            subject: `kernels.${name}`,
            message: 'must be a list of group names.'
          });
        }
      }
      return {
        settings: { items: this._items, rules, kernels },
        icons: this._icons,
        problems
      };
    }

    private _composite: ReadonlyPartialJSONObject;
    private _raw: readonly unknown[];
    private _next = 0;
    private _seen = new Set<string>();
    private _items: IItemSettings[] = [];
    private _icons = new Map<string, LabIcon>();
    private _problems: ILauncherProblem[] = [];
  }

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
}
