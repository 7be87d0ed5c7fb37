import { Gettext, TranslationBundle } from '@jupyterlab/translation';

const DOMAIN = 'jupyterlab_hub_groups';

/**
 * A translation bundle with a few translated strings (the others stay
 * English), as a language pack would give it.
 *
 * @param language - The locale, e.g. 'fr'.
 * @param pluralForms - The language's plural rule, as in a .po header.
 * @param messages - msgid → its translations (one per plural form).
 */
export function translated(
  language: string,
  pluralForms: string,
  messages: Record<string, string[]>
): TranslationBundle {
  const bundle = new Gettext({ locale: language, domain: DOMAIN });
  bundle.loadJSON(
    { '': { language, domain: DOMAIN, pluralForms }, ...messages },
    DOMAIN
  );
  return bundle;
}

/** French: a space before a colon, the singular for 0 and 1. */
export const FRENCH = 'nplurals=2; plural=(n > 1);';

/** Japanese: one form for every count. */
export const JAPANESE = 'nplurals=1; plural=0;';
