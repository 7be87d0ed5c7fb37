import { ISignal } from '@lumino/signaling';

/**
 * Call `then` once, as soon as `holds()` is true: at once when it is
 * already, else after the first emission of `changed` that makes it so.
 *
 * @param changed - When to look again (a model's or a service's signal).
 * @param holds - The condition (there is a card to show, the page may
 *   call the service).
 * @param then - What to do then (load the code that shows it, start).
 *
 * #### Notes
 * What a plugin loads with `import()` when first needed waits here: most
 * pages never need it, and those that do load it once.
 */
export function whenHolds(
  changed: ISignal<unknown, unknown>,
  holds: () => boolean,
  then: () => void
): void {
  if (holds()) {
    then();
    return;
  }
  const check = () => {
    if (holds()) {
      changed.disconnect(check);
      then();
    }
  };
  changed.connect(check);
}
