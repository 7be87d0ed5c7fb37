/**
 * Start a project's shared server and open it once it runs, from
 * JupyterLab: never through the hub's spawn pages (which show the
 * account's name and "Logout" as if one were logged in as it). Loaded with
 * a card's dialog.
 */
import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from '../common/request';
import { ICollaboration, ICollaborationSource } from './model';
import { startError } from './text';

/**
 * Open a shared server in a new browser tab once it runs, starting it
 * first when asked; its progress shows on its card and in a notification.
 *
 * @param c - The shared server, as of now.
 * @param model - The collaborations (to start and follow it).
 * @param url - Its JupyterLab's address.
 * @param trans - The translation bundle of this package.
 * @param start - Whether to start it (else it is starting already).
 * @returns Whether the server runs and was opened.
 *
 * #### Notes
 * The tab is opened at once, while the user's click still allows a page
 * to open one (browsers block tabs opened seconds later), and shows that
 * the server is starting; it is sent to the server once the hub says it
 * runs. Its `opener` is cut first: without subdomains every server is one
 * origin, and code on the shared server must not reach this page. Where
 * the tab was blocked, the notification offers to open it.
 */
export async function openWhenRunning(
  c: ICollaboration,
  model: ICollaborationSource,
  url: string,
  trans: TranslationBundle,
  start: boolean
): Promise<boolean> {
  const waiting = trans.__(
    'Starting the shared server of project %1…',
    c.group
  );
  const tab = Private.waitingTab(waiting);
  const id = Notification.emit(waiting, 'in-progress', { autoClose: false });
  try {
    if (start && (await model.startServer(c.account)) === 'stopping') {
      throw new HubGroupsError(0, 'still-stopping');
    }
    await model.whenRunning(c.account);
  } catch (reason) {
    tab?.close();
    Notification.dismiss(id);
    console.error('jupyterlab-hub-groups: start failed', reason);
    await showErrorMessage(
      trans.__('Cannot start the shared server of %1', c.group),
      startError(reason, trans)
    );
    return false;
  }
  const open = (): void => void window.open(url, '_blank', 'noopener');
  const opened = !!tab && !tab.closed;
  if (opened) {
    tab.location.href = url;
  }
  Notification.update({
    id,
    message: trans.__('The shared server of project %1 is running.', c.group),
    type: 'success',
    autoClose: opened ? 5000 : false,
    actions: opened
      ? []
      : [
          {
            label: trans.__('Open'),
            caption: trans.__('Open the shared server in a new browser tab'),
            callback: open
          }
        ]
  });
  return opened;
}

namespace Private {
  /**
   * A new tab saying `text`, cut from this page, or null where the
   * browser blocked it.
   */
  export function waitingTab(text: string): Window | null {
    const tab = window.open('', '_blank');
    if (!tab) {
      return null;
    }
    tab.opener = null;
    const doc = tab.document;
    doc.title = text;
    // In this page's theme (dark or light), as text.
    const theme = getComputedStyle(document.body);
    const colour = (name: string) => theme.getPropertyValue(name).trim();
    doc.body.style.cssText =
      `background:${colour('--jp-layout-color0')};` +
      `color:${colour('--jp-ui-font-color1')};` +
      'font-family:system-ui,sans-serif;margin:2em';
    const p = doc.createElement('p');
    p.setAttribute('role', 'status');
    p.textContent = text;
    doc.body.replaceChildren(p);
    return tab;
  }
}
