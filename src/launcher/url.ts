import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

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
 * @param trans - Translates the messages (shown to users when they click).
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
  origin: string = window.location.href,
  trans: TranslationBundle = nullTranslator.load('jupyterlab_hub_groups')
): string {
  const path = (value: string) =>
    value.split('/').map(encodeURIComponent).join('/');
  const name = (value: string) => {
    // `.` and `..` would move up the path, and encoding does not help:
    // the URL parser reads `%2e` as a dot.
    if (value === '.' || value === '..') {
      throw new Error(
        trans.__('The user name "%1" cannot be put in a URL.', value)
      );
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
      throw new Error(
        trans.__('Unknown placeholder %1 in URL "%2".', whole, template)
      );
    }
    return values[key]();
  });
  let resolved: URL;
  try {
    resolved = new URL(url, origin);
  } catch {
    throw new Error(trans.__('"%1" is not a valid URL.', url));
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new Error(
      trans.__(
        'Refused to open "%1": only http(s) and relative URLs are allowed.',
        url
      )
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
      trans.__(
        'Refused to open "%1": starting with two slashes (/ or \\), it opens another site; write an absolute https:// URL instead.',
        url
      )
    );
  }
  return url;
}
