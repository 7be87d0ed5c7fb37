import { collaborationPlugin } from './collaboration/plugin';
import { enrolmentPlugin } from './courses/join/plugin';
import { coursesPlugin } from './courses/plugin';
import { groupsPlugin } from './groups/plugin';
import { launcherPlugin } from './launcher/plugin';
import { presencePlugin } from './presence/plugin';
import { projectsPlugin } from './projects/plugin';

// Only the tokens (and their types) beside the plugins: re-exporting an
// implementation module would pull it into the entry chunk of every page.
export * from './tokens';
export type { HubGroupsError } from './common/request';

/**
 * The plugins of this package, one per capability.
 */
export default [
  groupsPlugin,
  launcherPlugin,
  presencePlugin,
  collaborationPlugin,
  coursesPlugin,
  enrolmentPlugin,
  projectsPlugin
];
