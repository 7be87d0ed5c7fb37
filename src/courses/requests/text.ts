/**
 * The sentences of the requests inbox, every string through the
 * translation bundle.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IDecision } from '../client';

/**
 * One sentence on a decision about requests to join; the users not
 * decided follow it in a list.
 *
 * @param decision - What the service did (approved, declined, errors).
 * @param approve - Whether it was asked to approve.
 * @param group - The course.
 * @param trans - The translation bundle.
 */
export function decisionSummary(
  decision: IDecision,
  approve: boolean,
  group: string,
  trans: TranslationBundle
): string {
  const parts: string[] = [];
  const done = approve ? decision.approved : decision.declined;
  if (done.length === 1) {
    parts.push(
      approve
        ? trans.__('Approved %1: a member of %2 now.', done[0], group)
        : trans.__('Declined the request of %1.', done[0])
    );
  } else if (done.length) {
    parts.push(
      approve
        ? trans._n(
            'Approved %1 request: members of %2 now.',
            'Approved %1 requests: members of %2 now.',
            done.length,
            group
          )
        : trans._n('Declined %1 request.', 'Declined %1 requests.', done.length)
    );
  }
  const errors = decision.errors.length;
  if (errors) {
    parts.push(
      approve
        ? trans._n('%1 not approved:', '%1 not approved:', errors)
        : trans._n('%1 not declined:', '%1 not declined:', errors)
    );
  }
  return parts.length ? parts.join(' ') : trans.__('Nothing changed.');
}
