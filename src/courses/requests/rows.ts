/**
 * Small helpers of the requests section's rows and buttons (view.ts).
 */
import { ICourseRequest } from '../client';

/**
 * Mark a button as not usable now while keeping it focusable: a disabled
 * button would drop the focus to the page.
 *
 * @param b - The button.
 * @param disabled - Whether it may not be used now.
 */
export function setDisabled(b: HTMLButtonElement, disabled: boolean): void {
  if (disabled) {
    b.setAttribute('aria-disabled', 'true');
  } else {
    b.removeAttribute('aria-disabled');
  }
}

/**
 * A request's row key: a new request after a decision is a new row.
 *
 * @param r - The request.
 */
export function requestKey(r: ICourseRequest): string {
  return JSON.stringify([r.user, r.created]);
}
