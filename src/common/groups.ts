import { IHubGroups } from '../tokens';

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
