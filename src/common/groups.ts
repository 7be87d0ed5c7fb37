import { IHubGroups } from '../tokens';
import { whenHolds } from './when';

/**
 * Call `changed` whenever the user's set of hub groups changes after the
 * groups service's first answer (not at the first answer itself, nor for
 * an answer that changes only the status or the time).
 *
 * @param groups - The groups service.
 * @param changed - What to do then (read something again, usually).
 */
export function onGroupsChanged(groups: IHubGroups, changed: () => void): void {
  let last: string | null = null;
  groups.changed.connect(() => {
    const now = [...groups.groups].sort().join('\n');
    if (last !== null && now !== last) {
      changed();
    }
    last = now;
  });
}

/**
 * Call `start` once, as soon as the groups service says this page may call
 * the hub-side `hub-groups` service (at once when it says so already).
 *
 * @param groups - The groups service.
 * @param start - What to do then (start reading the service, usually).
 *
 * #### Notes
 * On a hub without the service, or on a server whose page token may not
 * call it, `start` is never called: the page asks nothing that would only
 * be refused or answered 404 at each load.
 */
export function whenHubGroupsService(
  groups: IHubGroups,
  start: () => void
): void {
  whenHolds(groups.changed, () => groups.hubGroupsService, start);
}
