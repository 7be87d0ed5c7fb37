/**
 * A course's members panel in its main-area widget: loaded with `import()`
 * by the courses plugin when a panel is first opened (the panel, its
 * table, its sentences and the requests section stay out of the page's
 * start path; only instructors open one).
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { EnrolmentClient } from '../client';
import { attachHistory, membersModel } from '../history/attach';
import { courseMembersIcon } from '../icon';
import { CourseRequestsModel } from '../requests/model';
import { CourseMembersPanel } from './panel';

/**
 * The panel of one group, with its models, in a closable main-area widget
 * (closing it disposes the models).
 *
 * @param options - The group, where to ask, how often, the bundle.
 * @returns The widget, not yet added to the shell.
 */
export function createPanel(
  options: IPanelOptions
): MainAreaWidget<CourseMembersPanel> {
  const { group, interval, trans } = options;
  // With the service, changes made here are reported to the history.
  const members = membersModel(
    { serverSettings: options.serverSettings, group, interval },
    options.enrolment
  );
  // The requests to join are the hub-groups service's: only where the
  // page may call it.
  const requests = options.enrolment
    ? new CourseRequestsModel({ client: options.enrolment, group, interval })
    : null;
  if (requests && options.decided) {
    requests.decided.connect(options.decided);
  }
  const content = new CourseMembersPanel({
    model: members,
    requests,
    trans,
    title: options.title
  });
  const history = attachHistory({
    node: content.node,
    members,
    requests,
    trans
  });
  const widget = new MainAreaWidget({ content });
  widget.id = `hub-groups-course-${Private.nextId()}`;
  widget.addClass('jp-HubGroupsCoursePanel');
  const title = options.title ?? group;
  widget.title.label = trans.__('Members of %1', title);
  widget.title.caption = trans.__('Add and remove the members of %1', title);
  widget.title.icon = courseMembersIcon;
  widget.title.closable = true;
  widget.disposed.connect(() => {
    history?.dispose();
    members.dispose();
    requests?.dispose();
  });
  return widget;
}

/**
 * What a panel is made of.
 */
export interface IPanelOptions {
  /** The group managed. */
  group: string;
  /** What people read for it (its course's title); its name by default. */
  title?: string;
  /** Settings of the server serving this page. */
  serverSettings: ServerConnection.ISettings;
  /** The service's client, or null: no requests section. */
  enrolment: EnrolmentClient | null;
  /** Seconds between reads while shown. */
  interval: number;
  /** Called when a request was decided in the panel. */
  decided?: () => void;
  /** The translation bundle of this package. */
  trans: TranslationBundle;
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for a panel.
   */
  export function nextId(): number {
    return ++lastId;
  }
}
