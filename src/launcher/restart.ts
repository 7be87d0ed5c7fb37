/**
 * Launcher items that wait for a restart (loaded when the user joined a
 * group since the server started): an item leading into this server,
 * shown only through groups joined since, whose service comes with the
 * server's next start (a course's, through jupyter-server-proxy). Its card
 * says so, and opening it offers the restart instead of a broken page.
 */
import { expandUrl } from './url';
import type { IItemSettings } from './items';
import type { LauncherItems } from './registry';

/**
 * What a waiting item's card shows and does.
 */
export interface IWaiting {
  /** The card's label. */
  readonly label: string;
  /** Offer the restart. */
  open(): Promise<boolean>;
}

/**
 * What a card shows and does for each item: null when it does not wait.
 */
export type WaitingItems = (item: IItemSettings) => IWaiting | null;

/**
 * The reader of waiting items for the registry's options.
 *
 * @param options - The registry's options (groups, page values, commands).
 */
export function waitingItems(options: LauncherItems.IOptions): WaitingItems {
  const { groups, trans, commands } = options;
  return item => {
    const joined = groups.joinedSinceStart;
    const via = (item.groups ?? []).filter(g => groups.groups.has(g));
    if (!item.url || !via.length || !via.every(g => joined.includes(g))) {
      return null;
    }
    const context = options.urlContext();
    const here = window.location;
    try {
      const url = new URL(expandUrl(item.url, context, here.href), here.href);
      if (
        url.origin !== here.origin ||
        !url.pathname.startsWith(context.baseUrl)
      ) {
        return null; // elsewhere: not this server's to bring
      }
    } catch {
      return null; // opening it says why
    }
    const why = trans.__(
      '"%1" comes with a group you joined after your server started.',
      item.label
    );
    return {
      label: trans.__('%1 (after a restart)', item.label),
      open: async () => {
        const { restartServer } = await import('../common/restart');
        return restartServer({ trans, commands, why });
      }
    };
  };
}
