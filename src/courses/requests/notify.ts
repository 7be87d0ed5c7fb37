/**
 * The notifications of new requests to join: loaded with `import()` by
 * the courses plugin once the hub says the user manages a group (a
 * student's page never loads it).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { EnrolmentClient } from '../client';
import { PendingNotifier } from './notifier';
import { PendingModel } from './pending';

/**
 * The pending requests of the user's courses and their notifications.
 *
 * @param options - The client, the user, the bundle, what a button opens.
 * @returns The model (its `active`, `interval`) and the notifier (its
 *   `enabled`), for the plugin to drive.
 */
export function createNotifier(options: {
  client: EnrolmentClient;
  user: string;
  trans: TranslationBundle;
  open: (group: string) => void;
  titleOf?: (group: string) => string;
}): { pending: PendingModel; notifier: PendingNotifier } {
  const pending = new PendingModel({
    client: options.client,
    user: options.user
  });
  const notifier = new PendingNotifier({
    model: pending,
    trans: options.trans,
    open: options.open,
    titleOf: options.titleOf
  });
  return { pending, notifier };
}
