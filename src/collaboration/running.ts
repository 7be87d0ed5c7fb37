/**
 * Waiting for a shared server to run, for every source of collaboration
 * cards (the server extension's, the service's projects). A module of its
 * own: the projects' model uses it without loading the server
 * extension's model.
 */
import type { ReadModel } from '../common/readmodel';
import { HubGroupsError } from '../common/request';
import type { ICollaborationSource } from './model';

/**
 * Wait until a shared server of a source runs, reading it again every
 * `every` milliseconds (the hub says when a start is over only when
 * asked).
 *
 * @param source - A model of shared servers (its status and error).
 * @param account - The collaboration account.
 * @param options - `every` (1000 ms) and `timeout` (120 s).
 * @throws HubGroupsError `not-started` when it stops or goes away
 *   meanwhile, `start-timeout` when it is not running in time, or the
 *   read's error.
 */
export async function whenRunning(
  source: ICollaborationSource &
    Pick<ReadModel<unknown>, 'status' | 'error' | 'isDisposed' | 'readAgain'>,
  account: string,
  options: { every?: number; timeout?: number } = {}
): Promise<void> {
  const every = options.every ?? 1000;
  const until = Date.now() + (options.timeout ?? 120_000);
  for (;;) {
    if (source.status === 'refused' || source.status === 'unavailable') {
      throw source.error ?? new HubGroupsError(0, 'unavailable');
    }
    const status = source.collaborations.find(
      c => c.account === account
    )?.status;
    if (status === 'running') {
      return;
    }
    if (
      source.isDisposed ||
      (source.status === 'ready' && (!status || status.startsWith('stop')))
    ) {
      throw new HubGroupsError(0, 'not-started');
    }
    if (Date.now() >= until) {
      throw new HubGroupsError(0, 'start-timeout');
    }
    await new Promise(resolve => setTimeout(resolve, every));
    await source.readAgain();
  }
}
