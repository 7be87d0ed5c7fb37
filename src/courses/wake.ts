import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { PagePoll } from '../common/poller';

/**
 * Read a model again at once when the window gets focus or the page is
 * shown again, while it is active (what the course models did on their
 * own polls with `PagePoll`'s `wakeWhen`).
 *
 * @param model - The model (a `ReadModel`).
 * @param when - Whether a wake-up reads now (besides `active`).
 * @returns What removes the listeners.
 *
 * #### Notes
 * TODO(F-common): `ReadModel.IOptions` could take `wakeWhen` and give it to
 * its `PagePoll`; then this goes. Coming back to a page fires
 * `visibilitychange` and `focus` together: one read for both.
 */
export function wakeOnFocus(
  model: {
    readonly active: boolean;
    readonly isDisposed: boolean;
    refresh(): Promise<void>;
  },
  when: () => boolean = () => true
): IDisposable {
  let last = 0;
  const wake = (): void => {
    if (
      model.isDisposed ||
      !model.active ||
      document.visibilityState === 'hidden' ||
      !when()
    ) {
      return;
    }
    const now = Date.now();
    if (now - last >= PagePoll.WAKE_WINDOW * 1000) {
      last = now;
      void model.refresh();
    }
  };
  window.addEventListener('focus', wake);
  document.addEventListener('visibilitychange', wake);
  return new DisposableDelegate(() => {
    window.removeEventListener('focus', wake);
    document.removeEventListener('visibilitychange', wake);
  });
}
