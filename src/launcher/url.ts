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
