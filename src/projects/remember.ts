/**
 * Whether this browser saw its owner share the server with a group: a
 * module of its own, so that the projects' start (`start.ts`) reads it
 * without loading the share dialog.
 */
import { PageConfig } from '@jupyterlab/coreutils';

/**
 * Where a page remembers that its owner shares their server with a group:
 * newcomers to the group get their share only when the owner's page calls
 * the service (with the owner's token), so such a page keeps asking it
 * (`start.ts`), also after a reload.
 */
function groupShareKey(): string {
  return `jupyterlab-hub-groups:group-share:${PageConfig.getOption('hubUser')}`;
}

/**
 * Remember whether the server is shared with a group (see
 * {@link sharesWithGroup}).
 *
 * @param shared - Whether the last listing had a group share.
 */
export function rememberGroupShare(shared: boolean): void {
  try {
    if (shared) {
      window.localStorage.setItem(groupShareKey(), '1');
    } else {
      window.localStorage.removeItem(groupShareKey());
    }
  } catch {
    // No storage (a private window): newcomers wait for the dialog.
  }
}

/**
 * Whether the last listing this browser saw had a group share.
 */
export function sharesWithGroup(): boolean {
  try {
    return window.localStorage.getItem(groupShareKey()) === '1';
  } catch {
    return false;
  }
}
