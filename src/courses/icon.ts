/**
 * The courses' icons: loaded with what shows them (the instructor's side
 * of the courses plugin, which gives the Manage command its icon; a
 * members panel; the Join cards), never on a page's start.
 */
import { LabIcon } from '@jupyterlab/ui-components';

/**
 * The icon of the course members panel, its card and command: people and
 * a plus (Material's "group add", as JupyterLab's own icons), themed by
 * `jp-icon3` for light and dark.
 */
export const courseMembersIcon = new LabIcon({
  name: 'jupyterlab-hub-groups:course-members',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M8 10H5V7H3v3H0v2h3v3h2v-3h3v-2zm10 1c1.66 0 2.99-1.34 2.99-3S19.66 5 18 5c-.32 0-.63.05-.91.14.57.81.9 1.79.9 2.86s-.34 2.04-.9 2.86c.28.09.59.14.91.14zm-5 0c1.66 0 2.99-1.34 2.99-3S14.66 5 13 5c-1.66 0-3 1.34-3 3s1.34 3 3 3zm6.62 2.16c.83.73 1.38 1.66 1.38 2.84v2h3v-2c0-1.54-2.37-2.49-4.38-2.84zM13 13c-2 0-6 1-6 3v2h12v-2c0-2-4-3-6-3z"/></svg>'
});

/**
 * The icon of the "Join <course>" cards: a mortarboard (Material's
 * "school", as JupyterLab's own icons), themed by `jp-icon3`. The cards
 * bind a state class to it for their badge (see `style/joincards.css`).
 */
export const courseJoinIcon = new LabIcon({
  name: 'jupyterlab-hub-groups:course-join',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M5 13.18v4L12 21l7-3.82v-4L12 17l-7-3.82zM12 3 1 9l11 6 9-4.91V17h2V9L12 3z"/></svg>'
});
