/**
 * The strings of a list from a server's JSON answer (anything else in it
 * dropped; not a list: none).
 */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}
