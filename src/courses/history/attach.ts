/**
 * The history's part of a course's members panel (`members/open.ts`):
 * its client, the members model that reports changes, and the section,
 * kept in step with what happens in the panel.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { EnrolmentClient } from '../client';
import { CourseMembersModel } from '../members/model';
import { CourseRequestsModel } from '../requests/model';
import { HistoryClient } from './client';
import { RecordedMembersModel } from './recorded';
import { HistorySection } from './view';

/**
 * The members model of a panel: one that reports its changes to the
 * history where the page may call the service.
 *
 * @param options - The model's options.
 * @param enrolment - The service's client, or null (no history then).
 * @returns The model.
 */
export function membersModel(
  options: CourseMembersModel.IOptions,
  enrolment: EnrolmentClient | null
): CourseMembersModel {
  if (!enrolment) {
    return new CourseMembersModel(options);
  }
  const history = new HistoryClient({
    baseUrl: enrolment.baseUrl,
    token: PageConfig.getToken()
  });
  return new RecordedMembersModel({ ...options, history });
}

/**
 * Put the History section at the end of a panel, read again after each
 * change reported and each decision made there (while it is open).
 *
 * @param options - The panel's node, its models, the bundle.
 * @returns The section (disposed with the panel), or null without a
 *   model that reports.
 */
export function attachHistory(options: {
  node: HTMLElement;
  members: CourseMembersModel;
  requests: CourseRequestsModel | null;
  trans: TranslationBundle;
}): IDisposable | null {
  const { members, requests } = options;
  if (!(members instanceof RecordedMembersModel)) {
    return null;
  }
  const section = new HistorySection({
    client: members.history,
    group: members.group,
    id: `jp-HubGroupsHistory-${Private.nextId()}`,
    trans: options.trans
  });
  options.node.append(section.node);
  const refresh = () => void section.refresh();
  members.reported.connect(refresh);
  requests?.decided.connect(refresh);
  return {
    get isDisposed() {
      return section.isDisposed;
    },
    dispose() {
      members.reported.disconnect(refresh);
      requests?.decided.disconnect(refresh);
      section.dispose();
    }
  };
}

namespace Private {
  let lastId = 0;

  /**
   * A new id prefix for a section.
   */
  export function nextId(): number {
    return ++lastId;
  }
}
