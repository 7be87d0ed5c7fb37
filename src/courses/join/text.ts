/**
 * What a "Join" card shows of its state: the icon's badge, the label's
 * end, the tooltip. Small: the cards' part of the start path.
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
export function date(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  return d && !isNaN(d.getTime()) ? d.toLocaleString() : '';
}

/**
 * The card's tooltip.
 */
export function caption(c: IJoinable, trans: TranslationBundle): string {
  switch (c.state) {
    case 'request':
      return trans.__('Ask the instructors of %1 to let you in', c.group);
    case 'open':
      return trans.__('%1 is open: join it at once', c.group);
    case 'pending':
      return trans.__(
        'You asked to join %1 (%2); an instructor has not decided yet',
        c.group,
        date(c.request?.created)
      );
    case 'declined':
      return trans.__(
        'An instructor declined your request to join %1; you may ask again',
        c.group
      );
    case 'unavailable':
      return trans.__(
        'Requests to join %1 cannot be made now: the enrolment service is unavailable',
        c.group
      );
    case 'no-access':
      return trans.__(
        'Restart your server to ask to join %1 (it was started before requests to join courses existed)',
        c.group
      );
  }
}
