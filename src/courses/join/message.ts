/**
 * A message to the instructors, as the service takes it: cleaned and
 * counted here as the service cleans and counts it.
 */

/**
 * At most this many characters in a message to the instructors (the
 * service's limit, counted after trimming, in characters, not UTF-16 units).
 */
export const MAX_MESSAGE = 500;

/**
 * A message as the service takes it: Windows and old Mac line ends made
 * `\n`, tabs made spaces (the service refuses control characters but the
 * line break), other control characters, text direction overrides and
 * broken surrogates left out, spaces trimmed at both ends.
 *
 * @param text - What was typed or pasted.
 */
export function cleanMessage(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(Private.CONTROLS, '')
    .replace(Private.BIDI, '')
    .replace(Private.LONE_SURROGATES, '')
    .trim();
}

/**
 * The length of a message as the service counts it: characters (code
 * points), after {@link cleanMessage}; an emoji is one, not two.
 *
 * @param text - What was typed.
 */
export function messageLength(text: string): number {
  return Array.from(cleanMessage(text)).length;
}

namespace Private {
  /** Control characters but the line break. */
  // eslint-disable-next-line no-control-regex -- finding them is the point
  export const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
  /** Bidirectional overrides and isolates (the service refuses them). */
  export const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
  /** Halves of a surrogate pair without the other half. */
  export const LONE_SURROGATES =
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
}
