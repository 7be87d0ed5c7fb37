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
   * The sentence of a known code, or null.
   */
  export function sentence(
    e: HubGroupsError,
    trans: TranslationBundle
  ): string | null {
    switch (e.code) {
      // The client's own codes.
      case 'unavailable':
        return trans.__(
          'The server could not be reached or did not answer. Try again later.'
        );
      case 'absent':
        return trans.__('This is not available on this server.');
      case 'refused':
        return trans.__(
          'Your session was refused. Log in again, or ask your JupyterHub administrator.'
        );
      case 'bad-answer':
        return trans.__('The server gave an answer that could not be read.');
      // The server extension's, about the hub.
      case 'hub-unreachable':
        return trans.__('JupyterHub could not be reached. Try again later.');
      case 'hub-timeout':
        return trans.__('JupyterHub did not answer in time. Try again later.');
      case 'hub-error':
      case 'hub-bad-response':
      case 'hub-redirect':
        return trans.__(
          'JupyterHub answered with an error. Try again later, or ask your JupyterHub administrator.'
        );
      case 'hub-refused':
        return trans.__(
          'JupyterHub refused this server the request. Ask your JupyterHub administrator.'
        );
      case 'no-token':
      case 'not-authenticated':
        return trans.__('This request carries no valid JupyterHub token.');
      case 'identity-mismatch':
        return trans.__(
          'Your login changed since this page was loaded. Reload the page.'
        );
      // About what was asked.
      case 'not-a-member':
        return trans.__('You are not in the group this belongs to.');
      case 'not-a-manager':
        return trans.__('You may not manage this group.');
      case 'no-such-group':
        return trans.__('There is no such group.');
      case 'unknown-user':
        return trans.__('There is no such user.');
      case 'bad-account':
        return trans.__('That is not the name of a collaboration account.');
      case 'invalid':
      case 'invalid-name':
        return trans.__('That name cannot be used.');
      case 'bad-request':
      case 'unknown-action':
        return trans.__('The server did not understand the request.');
      // The hub-groups service's.
      case 'no-access':
        return trans.__(
          'This server may not call the hub-groups service: restart your server (File → Hub Control Panel), then try again.'
        );
      case 'users-only':
        return trans.__('Only people may do this, not services or servers.');
      case 'closed':
        return trans.__('This course takes no requests to join now.');
      case 'no-pending-request':
        return trans.__('There is no pending request.');
      case 'rate-limited':
        return rateLimited(e.retryAfter, trans);
      default:
        return null;
    }
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
