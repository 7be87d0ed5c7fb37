/**
 * Restart one's own server from JupyterLab, into the kernels and services
 * of the groups one is in now (loaded with `import()` when first asked:
 * a card waiting for a restart, a "You're in" notification).
 *
 * #### Notes
 * JupyterHub deletes a server's OAuth client when the server stops, and
 * the page's token with it: the page stops its server with that token
 * (`servers!server`, which the hub helper gives one's own page where a
 * course has kernels or services), then hands over to the hub's own
 * start (`/hub/spawn/<user>?next=<this page>`), which the browser's hub
 * session may do. The hub shows its progress page and comes back here.
 */
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { HubGroupsError, requestAnswer } from './request';
import { errorMessage } from './wording';

/**
 * Where the page goes, and how it waits (replaced in tests).
 */
export interface IRestartEnvironment {
  /** Go to a URL (the browser's `location.assign`). */
  go(url: string): void;
  /** The fetch function (the browser's). */
  fetch(input: string, init: RequestInit): Promise<Response>;
  /** Wait a moment between two looks at the stopping server. */
  pause(ms: number): Promise<void>;
}

/**
 * Ask, then restart the page's own server.
 *
 * @param options - What asks, and what for.
 * @returns Whether the restart went ahead (the page is leaving then).
 */
export async function restartServer(
  options: restartServer.IOptions
): Promise<boolean> {
  const { trans, commands } = options;
  const env = options.environment ?? Private.browser;
  const user = PageConfig.getOption('hubUser');
  const owner = PageConfig.getOption('hubServerUser');
  const prefix = PageConfig.getOption('hubPrefix');
  if (!prefix || !user || user !== owner) {
    return false; // only one's own server, under a hub
  }
  const result = await showDialog({
    title: trans.__('Restart your server?'),
    body:
      (options.why ? options.why + ' ' : '') +
      trans.__(
        'Your server stops and starts again with the kernels and services of your groups now. Open documents are saved first; running kernels and terminals stop. This page comes back by itself.'
      ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Restart') })
    ]
  });
  if (!result.button.accept) {
    return false;
  }
  if (commands.hasCommand('docmanager:save-all')) {
    try {
      await commands.execute('docmanager:save-all');
    } catch (reason) {
      console.warn('jupyterlab-hub-groups: save before restart', reason);
    }
  }
  const hub = PageConfig.getOption('hubHost') + prefix;
  const name = encodeURIComponent(user);
  try {
    const answer = await requestAnswer(
      {
        baseUrl: URLExt.join(hub, 'api'),
        token: PageConfig.getToken(),
        fetch: (input, init) => env.fetch(input, init)
      },
      `users/${name}/server`,
      { method: 'DELETE' }
    );
    if (answer.status === 202) {
      await Private.stopped(env);
    }
  } catch (reason) {
    const error = HubGroupsError.from(reason);
    console.error('jupyterlab-hub-groups: restart', error);
    await showErrorMessage(
      trans.__('Cannot restart your server'),
      error.refused
        ? trans.__(
            'This page may not stop your server (it started before restarts were possible from here). Use File → Hub Control Panel: Stop My Server, then Start My Server.'
          )
        : errorMessage(error, trans)
    );
    return false;
  }
  const here = window.location.pathname + window.location.search;
  env.go(
    URLExt.join(hub, 'spawn', name) + URLExt.objectToQueryString({ next: here })
  );
  return true;
}

/**
 * A namespace for restartServer types.
 */
export namespace restartServer {
  /**
   * What a restart needs.
   */
  export interface IOptions {
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The commands (documents are saved first). */
    commands: CommandRegistry;
    /** Why a restart, as a sentence (e.g. what waits for it); optional. */
    why?: string;
    /** Where the page goes, and how it waits (tests). */
    environment?: IRestartEnvironment;
  }
}

namespace Private {
  /**
   * The browser's.
   */
  export const browser: IRestartEnvironment = {
    go: url => window.location.assign(url),
    fetch: (input, init) => fetch(input, init),
    pause: ms => new Promise(resolve => setTimeout(resolve, ms))
  };

  /**
   * Until the server no longer answers (at most a minute): a stop the
   * hub accepted but has not finished (202, e.g. a pod going away).
   * The server's own `api` answers while it runs; after, the hub does.
   */
  export async function stopped(env: IRestartEnvironment): Promise<void> {
    const url = URLExt.join(PageConfig.getBaseUrl(), 'api');
    for (let i = 0; i < 120; i++) {
      try {
        const response = await env.fetch(url, {
          cache: 'no-store',
          credentials: 'same-origin'
        });
        const body = response.ok ? await response.json() : null;
        if (typeof body?.version !== 'string') {
          return;
        }
      } catch {
        return; // not the server's JSON: the hub's page, or nothing
      }
      await env.pause(500);
    }
  }
}
