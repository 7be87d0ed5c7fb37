/**
 * Every error code of the package worded once, through the translator:
 * models keep codes (see `request.ts`), views show these sentences. The
 * server's own sentence is for logs (it has no translation).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from './request';

/**
 * What a person reads about an error.
 *
 * @param error - A {@link HubGroupsError}, or anything thrown (a network
 *   failure: fetch rejects with a TypeError).
 * @param trans - The translation bundle of this package.
 * @returns One sentence; for a code not known here, a general one naming
 *   the code (what an administrator looks for in the logs).
 */
export function errorMessage(error: unknown, trans: TranslationBundle): string {
  const e = HubGroupsError.from(error);
  const known = Private.sentence(e, trans);
  if (known !== null) {
    return known;
  }
  if (e.unavailable) {
    return trans.__(
      'The server could not be reached or did not answer (%1). Try again later.',
      e.code
    );
  }
  return e.status
    ? trans.__('The request failed: %1 (HTTP %2).', e.code, e.status)
    : trans.__('The request failed: %1.', e.code);
}

namespace Private {
  /**
   * The sentence of each known code.
   */
  export const SENTENCES: {
    readonly [code: string]: (
      trans: TranslationBundle,
      e: HubGroupsError
    ) => string;
  } = {
    // The client's own codes.
    unavailable: trans =>
      trans.__(
        'The server could not be reached or did not answer. Try again later.'
      ),
    absent: trans => trans.__('This is not available on this server.'),
    refused: trans =>
      trans.__(
        'Your session was refused. Log in again, or ask your JupyterHub administrator.'
      ),
    'bad-answer': trans =>
      trans.__('The server gave an answer that could not be read.'),
    // The server extension's, about the hub.
    'hub-unreachable': trans =>
      trans.__('JupyterHub could not be reached. Try again later.'),
    'hub-timeout': trans =>
      trans.__('JupyterHub did not answer in time. Try again later.'),
    'hub-error': trans =>
      trans.__(
        'JupyterHub answered with an error. Try again later, or ask your JupyterHub administrator.'
      ),
    'hub-refused': trans =>
      trans.__(
        'JupyterHub refused this server the request. Ask your JupyterHub administrator.'
      ),
    'server-token-scopes': trans =>
      trans.__(
        "This server may not see the shared servers' state. Ask your JupyterHub administrator (Spawner.server_token_scopes)."
      ),
    'no-hub': trans => trans.__('Not running under JupyterHub.'),
    'no-token': trans =>
      trans.__('This request carries no valid JupyterHub token.'),
    'identity-mismatch': trans =>
      trans.__(
        'Your login changed since this page was loaded. Reload the page.'
      ),
    // About what was asked.
    'not-a-member': trans =>
      trans.__('You are not in the group this belongs to.'),
    'not-a-manager': trans => trans.__('You may not manage this group.'),
    'no-such-group': trans => trans.__('There is no such group.'),
    'unknown-user': trans => trans.__('There is no such user.'),
    'bad-account': trans =>
      trans.__('That is not the name of a collaboration account.'),
    invalid: trans => trans.__('That name cannot be used.'),
    'bad-request': trans =>
      trans.__('The server did not understand the request.'),
    // The hub-groups service's.
    'no-access': trans =>
      trans.__(
        'This server may not call the hub-groups service: restart your server (File → Hub Control Panel), then try again.'
      ),
    'users-only': trans =>
      trans.__('Only people may do this, not services or servers.'),
    closed: trans => trans.__('This course takes no requests to join now.'),
    'no-pending-request': trans => trans.__('There is no pending request.'),
    'rate-limited': (trans, e) => rateLimited(e.retryAfter, trans)
  };

  /**
   * Codes that say what another says.
   */
  const ALIASES: { readonly [code: string]: string } = {
    'hub-bad-response': 'hub-error',
    'hub-redirect': 'hub-error',
    'not-authenticated': 'no-token',
    'invalid-name': 'invalid',
    'unknown-action': 'bad-request'
  };

  /**
   * The sentence of a known code, or null.
   */
  export function sentence(
    e: HubGroupsError,
    trans: TranslationBundle
  ): string | null {
    const own = Object.prototype.hasOwnProperty;
    const code = own.call(ALIASES, e.code) ? ALIASES[e.code] : e.code;
    return own.call(SENTENCES, code) ? SENTENCES[code](trans, e) : null;
  }

  /**
   * Too many requests, and how long to wait.
   */
  function rateLimited(
    retryAfter: number | null,
    trans: TranslationBundle
  ): string {
    if (retryAfter === null) {
      return trans.__('Too many requests: try again later.');
    }
    const wait =
      retryAfter < 60
        ? trans._n('%1 second', '%1 seconds', retryAfter)
        : trans._n('%1 minute', '%1 minutes', Math.ceil(retryAfter / 60));
    return trans.__('Too many requests: try again in %1.', wait);
  }
}
