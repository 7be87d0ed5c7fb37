/**
 * What the student is told when an instructor decides: a JupyterLab
 * notification when a request is approved (with a restart, when the
 * course's kernels and services come with the server's next start) or
 * declined (with "Ask Again"). It takes the place of the notification that
 * said the request was with the instructors, so the list never says both.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { JoinModel } from './model';
import { reasonOf } from './text';

/**
 * The notification about each course's request, by course: the one that
 * said it was with the instructors, replaced by the decision.
 */
export const requestNotices = new Map<string, string>();

/**
 * Tell the user of every decision the model sees from now on.
 *
 * @param model - The courses one may join.
 * @param options - What the notifications' buttons run.
 */
export function followDecisions(
  model: JoinModel,
  options: followDecisions.IOptions
): void {
  const { commands, trans } = options;
  model.joined.connect((_, group) => {
    // The Join cards are only on one's own server: it may restart.
    tell(
      group,
      'success',
      trans.__('You are in %1 now.', model.titleOf(group)) +
        ' ' +
        trans.__(
          "Its kernels and services come with your server's next start."
        ),
      [
        {
          label: trans.__('Restart Now'),
          caption: trans.__(
            'Restart your server into %1',
            model.titleOf(group)
          ),
          displayType: 'accent',
          callback: () => {
            void import('../../common/restart').then(({ restartServer }) =>
              restartServer({ trans, commands })
            );
          }
        }
      ]
    );
  });
  model.declined.connect((_, group) => {
    const request = model.courses.find(c => c.group === group)?.request;
    // (JupyterLab shows 140 characters of a notification: the reason is
    // in full in the course's dialog, which Ask Again opens)
    tell(
      group,
      'warning',
      trans.__('Your request to join %1 was declined.', model.titleOf(group)) +
        reasonOf(request, trans),
      [
        {
          label: trans.__('Ask Again'),
          caption: trans.__('Ask again to join %1', model.titleOf(group)),
          callback: () => {
            void commands.execute(options.joinCommand, { group });
          }
        }
      ]
    );
  });
}

/**
 * A namespace for followDecisions types.
 */
export namespace followDecisions {
  /**
   * What the notifications need.
   */
  export interface IOptions {
    /** The commands the buttons run. */
    commands: CommandRegistry;
    /** The command of a Join card ("Ask Again"). */
    joinCommand: string;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
  }
}

/**
 * Replace the course's notification, or show a new one: kept until the
 * user closes it (a decision may come while they look elsewhere).
 */
function tell(
  group: string,
  type: 'success' | 'warning',
  message: string,
  actions: Notification.IAction[]
): void {
  const id = requestNotices.get(group);
  const options = { autoClose: false as const, actions };
  if (
    id === undefined ||
    !Notification.update({ id, message, type, ...options })
  ) {
    requestNotices.set(group, Notification.emit(message, type, options));
  }
}
