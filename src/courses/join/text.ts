/**
 * What a "Join" card shows of its state: the icon's badge, the label's
 * end, the tooltip, and the first paragraph of its dialog (the sentences
 * of a state in one place).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { courseJoinIcon } from '../icon';
import { IJoinable, JoinState } from './model';

/**
 * The mortarboard with a state badge, one view per state, made once (so
 * that React keeps the card's icon element).
 */
export function statusIcon(state: JoinState): LabIcon {
  let icon = icons.get(state);
  if (!icon) {
    icon = courseJoinIcon.bindprops({
      className: `jp-HubGroupsJoin-status jp-mod-${state}`
    });
    icons.set(state, icon);
  }
  return icon;
}

const icons = new Map<JoinState, LabIcon>();

/**
 * The state, as the card's label ends.
 */
export function stateText(state: JoinState, trans: TranslationBundle): string {
  switch (state) {
    case 'request':
      return trans.__('Request to join');
    case 'open':
      return trans.__('Join');
    case 'pending':
      return trans.__('Pending');
    case 'declined':
      return trans.__('Declined — ask again');
    case 'unavailable':
      return trans.__('Enrolment unavailable');
    case 'no-access':
      return trans.__('Restart your server');
  }
}

/**
 * A date of the service (ISO 8601) for people, or '' if unknown.
 */
function date(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  return d && !isNaN(d.getTime()) ? d.toLocaleString() : '';
}

/**
 * What a course's state means, in one place: the card's tooltip, or the
 * first paragraph of its dialog (more on what comes next).
 *
 * @param c - The course, as its card shows it.
 * @param trans - The translation bundle of this package.
 * @param where - `card` (the tooltip) or `dialog`.
 * @param why - For `unavailable` in the dialog: why, as worded from the
 *   listing's error ('' if unknown).
 */
export function sentence(
  c: IJoinable,
  trans: TranslationBundle,
  where: 'card' | 'dialog',
  why = ''
): string {
  const card = where === 'card';
  switch (c.state) {
    case 'request':
      return card
        ? trans.__('Ask the instructors of %1 to let you in', c.title)
        : trans.__(
            'Ask the instructors of %1 to let you in. They decide; you see their answer on this card.',
            c.title
          );
    case 'open':
      return card
        ? trans.__('%1 is open: join it at once', c.title)
        : trans.__('%1 is open: you join it at once.', c.title);
    case 'pending':
      return card
        ? trans.__(
            'You asked to join %1 (%2); an instructor has not decided yet',
            c.title,
            date(c.request?.created)
          )
        : trans.__(
            'You asked to join %1 on %2. An instructor has not decided yet; you may withdraw your request.',
            c.title,
            date(c.request?.created)
          );
    case 'declined':
      return (
        (card
          ? trans.__(
              'An instructor declined your request to join %1; you may ask again',
              c.title
            )
          : trans.__(
              'An instructor declined your request to join %1 (%2). You may ask again, perhaps saying more in your message.',
              c.title,
              date(c.request?.decided)
            )) + reasonOf(c.request, trans)
      );
    case 'unavailable':
      return card
        ? trans.__(
            'Requests to join %1 cannot be made now: the enrolment service is unavailable',
            c.title
          )
        : trans.__(
            'The enrolment service cannot be reached now (%1). You may try anyway; if it fails, your message is kept for the next try.',
            why
          );
    case 'no-access':
      return card
        ? trans.__(
            'Restart your server to ask to join %1 (it was started before requests to join courses existed)',
            c.title
          )
        : trans.__(
            'Your server was started before requests to join courses existed, so this page may not make them. Restart your server (File → Hub Control Panel: Stop My Server, then Start My Server), then ask to join %1.',
            c.title
          );
  }
}

/**
 * A decline's reason after the sentence (' Their reason: “…”'), or ''.
 * Plain text, isolated (FSI … PDI) so that right-to-left words cannot
 * reorder the sentence around them; the caller sets it as text.
 *
 * @param request - The student's request.
 * @param trans - The translation bundle of this package.
 */
export function reasonOf(
  request: { reason?: string | null } | null | undefined,
  trans: TranslationBundle
): string {
  const reason = request?.reason?.trim();
  return reason
    ? ' ' + trans.__('Their reason: “%1”', `\u2068${reason}\u2069`)
    : '';
}
