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
  /**
   * Whether the page is served by someone else's server (a collaboration
   * account's, one shared with the user): then URLs leading into another
   * server or a hub service are refused (see {@link expandUrl}).
   */
  sharedServer?: boolean;
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
 *
 * On someone else's server (`context.sharedServer`), a URL on this site or
 * the hub's may not lead into another server: every server of a hub
 * without `subdomain_host` shares one web origin, and the code the
 * account's members run there could read the other server's page (its
 * token) when it opens inside this one. Refused there: other users'
 * servers (`{root}user/<name>/…`, their proxied apps included), hub
 * services (`{root}services/…`, also routed by the proxy) and the hub's
 * routes into servers (`{hub_prefix}user/…`, `user-redirect/…`).
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
  if (
    context.sharedServer &&
    Private.intoAnotherServer(resolved, context, origin)
  ) {
    throw new Error(
      trans.__(
        'Refused to open "%1" on this shared server: it leads into another server or a hub service, which must not open inside a server that others run code on.',
        url
      )
    );
  }
  return url;
}

namespace Private {
  /**
   * Whether a URL leads into another server (or a hub service) of this
   * hub: on the page's origin or the hub's, under `{root}user/` but not
   * this server's own base URL, under `{root}services/`, or one of the
   * hub's routes into servers (`user/`, `user-redirect/`, under the hub
   * prefix or the root, which the hub redirects to its prefix).
   *
   * The path is compared as a proxy may route it: percent escapes decoded
   * (a path that does not decode is refused), repeated slashes folded,
   * in lower case.
   */
  export function intoAnotherServer(
    resolved: URL,
    context: IUrlContext,
    origin: string
  ): boolean {
    const origins = [new URL(origin).origin];
    if (/^https?:\/\/[^/?#\\]+$/i.test(context.hubHost)) {
      origins.push(new URL(context.hubHost).origin);
    }
    if (!origins.includes(resolved.origin)) {
      return false;
    }
    let path: string;
    try {
      path = decodeURIComponent(resolved.pathname);
    } catch {
      return true;
    }
    // (in lower case: a proxy may route names in any case)
    const folded = (value: string) =>
      `/${value}/`.replace(/[/\\]+/g, '/').toLowerCase();
    path = folded(path);
    const hubPrefix = folded(context.hubPrefix || '/hub/');
    // Servers and services are at {root}user/ and {root}services/, next
    // to the hub's {root}hub/.
    const root = hubPrefix.replace(/hub\/$/, '');
    const own = folded(context.baseUrl);
    const under = (prefix: string) => path.startsWith(prefix);
    if (under(`${root}user/`)) {
      return !under(own);
    }
    return [
      `${root}services/`,
      `${root}user-redirect/`,
      `${hubPrefix}user/`,
      `${hubPrefix}user-redirect/`
    ].some(under);
  }
}
