/**
 * The rules of a Join card's state: what it says of a course given the
 * listing's status, and when the user became a member between two answers.
 */
import type { ReadModel } from '../../common/readmodel';
import type { ICourse } from '../answers';

/**
 * What a "Join" card says about its course:
 * - `request`: one may ask to join (nothing asked, or withdrawn);
 * - `open`: one may join at once;
 * - `pending`: asked, an instructor has not decided yet;
 * - `declined`: an instructor declined; one may ask again;
 * - `unavailable`: the enrolment service cannot be reached now;
 * - `no-access`: this server's page token may not call the service (the
 *   server was started before enrolment existed): restart the server.
 */
export type JoinState =
  'request' | 'open' | 'pending' | 'declined' | 'unavailable' | 'no-access';

/**
 * What a course's card says, given where the listing stands.
 *
 * @param c - The course, as last listed.
 * @param status - The listing's status (`JoinModel.status`).
 * @param code - The code of the listing's last failure, or null.
 */
export function joinState(
  c: ICourse,
  status: ReadModel.Status,
  code: string | null = null
): JoinState {
  if (code === 'no-access') {
    return 'no-access'; // the listing kept, nothing read until a restart
  }
  if (status === 'stale' || status === 'unavailable') {
    return 'unavailable';
  }
  if (c.enrolment === 'open') {
    return 'open';
  }
  switch (c.request?.state) {
    case 'pending':
      return 'pending';
    case 'declined':
      return 'declined';
    default:
      // none, withdrawn, or approved once and removed since: ask again
      return 'request';
  }
}

/**
 * Whether the user became a member between two answers about a course.
 */
export function joinedSince(was: ICourse, now: ICourse): boolean {
  return (
    (now.member && !was.member) ||
    (now.request?.state === 'approved' &&
      (was.request?.state !== 'approved' ||
        was.request.created !== now.request.created))
  );
}

/**
 * Whether the user's request to join a course was declined between two
 * answers about it.
 */
export function declinedSince(was: ICourse, now: ICourse): boolean {
  return (
    now.request?.state === 'declined' &&
    (was.request?.state !== 'declined' ||
      was.request.decided !== now.request.decided)
  );
}
