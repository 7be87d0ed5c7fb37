/**
 * Sentence helpers every room of the courses uses.
 */
import { TranslationBundle } from '@jupyterlab/translation';

/**
 * Names in a sentence: all of them, or the first `max` and how many more
 * ("alice, bob, carol and 2 more").
 *
 * #### Notes
 * The separator is translatable: '%1, %2' joins two names and is folded
 * over the list, so a language may use its own (、 or ، for instance);
 * '%2 and %1 more' has plural forms for the count. Every list of names
 * in a sentence goes through here.
 *
 * @param names - The names, in the order to show them.
 * @param trans - The translation bundle.
 * @param max - How many names at most (all of them by default).
 */
export function nameList(
  names: readonly string[],
  trans: TranslationBundle,
  max = Infinity
): string {
  const shown = names.slice(0, max);
  const list = shown.length
    ? shown.reduce((before, name) => trans.__('%1, %2', before, name))
    : '';
  const more = names.length - shown.length;
  return more > 0
    ? trans._n('%2 and %1 more', '%2 and %1 more', more, list)
    : list;
}
