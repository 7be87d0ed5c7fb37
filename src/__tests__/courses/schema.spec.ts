import courses from '../../../schema/courses.json';
import enrolment from '../../../schema/enrolment.json';
import { JoinModel } from '../../courses/join/model';
import { CourseManagementModel } from '../../courses/members/manage';
import { CourseMembersModel } from '../../courses/members/model';
import { CourseRequestsModel } from '../../courses/requests/model';
import { PendingModel } from '../../courses/requests/pending';

/**
 * The settings' minimums are written twice: in the schema (for the
 * settings editor) and in the models (for the poll). Here they must agree.
 */

describe('the schemas and the models agree on the least intervals', () => {
  it.each([
    [
      'courses.json interval',
      courses.properties.interval,
      CourseManagementModel.MIN_INTERVAL
    ],
    [
      'courses.json membersInterval',
      courses.properties.membersInterval,
      CourseMembersModel.MIN_INTERVAL
    ],
    [
      // The requests to join are read as often as the members.
      'courses.json membersInterval (requests)',
      courses.properties.membersInterval,
      CourseRequestsModel.MIN_INTERVAL
    ],
    [
      'courses.json pendingInterval',
      courses.properties.pendingInterval,
      PendingModel.MIN_INTERVAL
    ],
    [
      'enrolment.json interval',
      enrolment.properties.interval,
      JoinModel.MIN_INTERVAL
    ]
  ] as [string, any, number][])('%s', (_, property, minimum) => {
    expect(property.minimum).toBe(minimum);
    // The description names it too.
    expect(property.description).toContain(`Minimum ${minimum}.`);
    expect(property.default).toBeGreaterThanOrEqual(minimum);
  });
});
