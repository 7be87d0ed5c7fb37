/**
 * The service's refusals about projects and shares, worded once through
 * the translator; any other code as `errorMessage` words it (the
 * package's codes are worded in `common/wording.ts`, which every view
 * loads: these stay with the projects' code).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from '../common/request';
import { errorMessage } from '../common/wording';

/**
 * What a person reads about a refusal or failure of the projects' and
 * shares' API.
 *
 * @param error - What was thrown.
 * @param trans - The translation bundle of this package.
 * @param users - The names a refusal concerns (`unknown-users`), if known.
 */
export function projectError(
  error: unknown,
  trans: TranslationBundle,
  users: readonly string[] = []
): string {
  const e = HubGroupsError.from(error);
  const names = users.join(', ');
  switch (e.code) {
    case 'not-allowed':
      return trans.__(
        'You may not make projects here. Ask your JupyterHub administrator.'
      );
    case 'too-many-projects':
      return trans.__(
        'You have made as many projects as one may. Delete one of yours first.'
      );
    case 'name-taken':
      return trans.__(
        'That name is taken (by a project, a course, a group or a person). Choose another.'
      );
    case 'invalid-name':
      return trans.__(
        "That name cannot be a project's: its shared server's account would not be a valid name, or someone could log in as it. Choose another."
      );
    case 'unknown-users':
      return names
        ? trans.__('There is no such user: %1.', names)
        : trans.__('Some of these people are not known to JupyterHub.');
    case 'not-the-creator':
      return trans.__(
        'Only the person who made this project (or an administrator) may change it.'
      );
    case 'creator-stays':
      return trans.__('The person who made a project stays in it.');
    case 'no-such-project':
      return trans.__('There is no such project (any more).');
    case 'not-a-member':
      return trans.__('You are not in this project.');
    case 'not-your-group':
      return trans.__('You may only share with a group you are in.');
    case 'collaboration-account':
      return trans.__(
        "A project's shared server is shared through its project, not from here."
      );
    default:
      return errorMessage(e, trans);
  }
}
