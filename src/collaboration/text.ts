/**
 * What the collaboration cards and their dialog say of a shared server.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from '../common/request';
import { errorMessage } from '../common/wording';
import { ICollaboration, IDegraded } from './model';

/**
 * What each state of a shared server is called.
 */
const STATUS_TEXTS: {
  readonly [S in ICollaboration['status']]: (
    trans: TranslationBundle
  ) => string;
} = {
  running: trans => trans.__('running'),
  starting: trans => trans.__('starting'),
  stopping: trans => trans.__('stopping'),
  stopped: trans => trans.__('stopped'),
  unknown: trans => trans.__('status unknown')
};

/**
 * What a state of a shared server is called.
 *
 * @param status - The state.
 * @param trans - The translation bundle of this package.
 */
export function statusText(
  status: ICollaboration['status'],
  trans: TranslationBundle
): string {
  return (STATUS_TEXTS[status] ?? STATUS_TEXTS.unknown)(trans);
}

/**
 * A shared server in one sentence: its project, its account and its
 * state, and why the state is unknown when the server said.
 *
 * @param c - The shared server.
 * @param degraded - Why states are unknown here, or null.
 * @param trans - The translation bundle of this package.
 */
export function caption(
  c: ICollaboration,
  degraded: IDegraded | null,
  trans: TranslationBundle
): string {
  const text = trans.__(
    'Shared server of project %1 (%2): %3',
    c.group,
    c.account,
    statusText(c.status, trans)
  );
  // Its code is worded here; the server's sentence is for logs.
  return c.status === 'unknown' && degraded
    ? trans.__(
        '%1. %2',
        text,
        errorMessage(
          new HubGroupsError(0, degraded.code, degraded.message),
          trans
        )
      )
    : text;
}

/**
 * Why a shared server could not be started or opened, in one sentence.
 *
 * @param error - What the start or the wait threw.
 * @param trans - The translation bundle of this package.
 */
export function startError(error: unknown, trans: TranslationBundle): string {
  switch (HubGroupsError.from(error).code) {
    case 'hub-refused':
      // A server spawned before its token could start shared servers.
      return trans.__(
        'JupyterHub does not let your server start it. Restart your own server, then try again, or ask your JupyterHub administrator.'
      );
    case 'still-stopping':
      return trans.__('It is still stopping. Try again in a moment.');
    case 'not-started':
      return trans.__(
        'It stopped before it was ready. Try again, or ask your JupyterHub administrator.'
      );
    case 'start-timeout':
      return trans.__(
        'It did not start in time. Try again later, or ask your JupyterHub administrator.'
      );
    default:
      return errorMessage(error, trans);
  }
}
