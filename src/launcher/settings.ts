/**
 * What the launcher plugin reads of its settings at start, before anything
 * heavier is loaded: which settings this page may use, and whether they
 * hold anything of ours (items, rules, kernels) at all.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  PartialJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';

/**
 * The launcher settings this page may use: the user's own settings over
 * the deployment's (the composite), or, on someone else's server, the
 * deployment's alone.
 *
 * @param settings - The launcher plugin's settings.
 * @param sharedServer - Whether the page is served by someone else's
 *   server (see `onSomeoneElsesServer`).
 * @returns The value to read items, rules and kernels from.
 *
 * #### Notes
 * On a collaboration account's server every project member runs code as
 * the account and can write its user settings (the Settings Editor, the
 * settings API): a card one member adds there would be shown to the
 * others. There only what the admin ships counts: `overrides.json`, which
 * Jupyter Server writes into the schema as its defaults. They are read as
 * they are in the schema, not through `settings.default()`, which fills
 * each item with the schema's per-field defaults and drops falsy values
 * (a `rank` of 0).
 */
export function launcherSettingsOf(
  settings: ISettingRegistry.ISettings,
  sharedServer: boolean
): ReadonlyPartialJSONObject {
  if (!sharedServer) {
    return settings.composite;
  }
  const properties = settings.schema.properties ?? {};
  const shipped: PartialJSONObject = {};
  for (const key of ['items', 'rules', 'kernels']) {
    const value = properties[key]?.default;
    if (value !== undefined) {
      shipped[key] = value;
    }
  }
  return shipped;
}

/**
 * Whether launcher settings hold anything of ours: an item, a rule or a
 * kernel's groups (else the launcher is the core one, and the modules that
 * read items need not be loaded).
 *
 * @param composite - The settings' value (see {@link launcherSettingsOf}).
 */
export function holdsAnything(composite: ReadonlyPartialJSONObject): boolean {
  const { items, rules, kernels } = composite as { [key: string]: unknown };
  return (
    (Array.isArray(items) && items.length > 0) ||
    (Array.isArray(rules) && rules.length > 0) ||
    (!!kernels &&
      typeof kernels === 'object' &&
      Object.keys(kernels).length > 0)
  );
}
