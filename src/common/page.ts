import { PageConfig } from '@jupyterlab/coreutils';

/**
 * Whether this page is served by someone else's server: a collaboration
 * account's (every project member runs code there as the account, and can
 * write its JupyterLab user settings), or one shared with the user.
 *
 * @returns False outside a hub; under a hub, false only when the page's
 *   PageConfig names the browser user as the server's owner (`hubUser` and
 *   `hubServerUser`, which JupyterHub sets): anything else counts as
 *   someone else's (fail closed).
 *
 * #### Notes
 * Read from the page, not asked of the network: the launcher knows at once
 * whose settings to trust. The page comes from the server itself, as the
 * server extension's answers would.
 */
export function onSomeoneElsesServer(): boolean {
  if (!PageConfig.getOption('hubPrefix')) {
    return false;
  }
  const user = PageConfig.getOption('hubUser');
  const owner = PageConfig.getOption('hubServerUser');
  return !user || !owner || user !== owner;
}
