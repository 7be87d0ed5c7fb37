import { collaborationPlugin } from './collaboration/plugin';
import { enrolmentPlugin } from './courses/enrolment';
import { coursesPlugin } from './courses/plugin';
import { groupsPlugin } from './groups/plugin';
import { launcherPlugin } from './launcher/plugin';
import { presencePlugin } from './presence/plugin';

export {
  collaborationUrls,
  CollaborationsModel,
  ICollaboration
} from './collaboration/model';
export {
  CourseManagementModel,
  CourseMembersModel,
  ManageError
} from './courses/model';
export {
  foldNames,
  INamesRead,
  IPreview,
  namesFromCsv,
  namesFromText,
  parseCsv
} from './courses/names';
export { IJoinable, JoinModel, JoinState } from './courses/join';
export { JoinCards } from './courses/joincards';
export { linkedCourse, MANAGE_PARAM, withoutManageParam } from './courses/link';
export { PendingNotifier } from './courses/notifier';
export { CourseMembersPanel } from './courses/panel';
export { CourseRequestsModel, PendingModel } from './courses/requests';
export { RequestsSection } from './courses/requestsview';
export {
  cleanMessage,
  EnrolmentClient,
  enrolmentApiUrl,
  EnrolmentError,
  IAskAnswer,
  ICourse,
  ICourseRequest,
  IDecision,
  IMyRequest,
  IPendingRequest,
  MAX_MESSAGE,
  messageLength
} from './courses/service';
export { HubGroupsModel } from './groups/model';
export { HubGroupsReport } from './groups/report';
export {
  allRules,
  IItemSettings,
  ILauncherProblem,
  ILauncherSettings,
  IReadLauncherSettings,
  itemIcon,
  readLauncherSettings
} from './launcher/items';
export {
  HubGroupsLauncherModel,
  IRuleSettings,
  OPEN_ITEM_COMMAND,
  ruleMatches
} from './launcher/model';
export { labIconSvgstr, sanitizeSvg } from './launcher/svg';
export { expandUrl, IUrlContext } from './launcher/url';
export { IAwarenessLike, IPerson, PresenceModel } from './presence/model';
export { PeopleHereCount, PeopleHerePanel } from './presence/widgets';
export {
  COLLABORATIONS_ENDPOINT,
  ENROLMENT_API,
  ICourseManagement,
  IHubGroups,
  MANAGE_ENDPOINT,
  ME_ENDPOINT,
  PRESENCE_ENDPOINT
} from './tokens';

/**
 * The plugins of this package, one per capability.
 */
export default [
  groupsPlugin,
  launcherPlugin,
  presencePlugin,
  collaborationPlugin,
  coursesPlugin,
  enrolmentPlugin
];
