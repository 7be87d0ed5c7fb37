import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { HubGroupsModel } from './model';
import { IHubGroups } from '../tokens';
import { ModelView } from '../common/view';
import { errorMessage } from '../common/wording';
import '../../style/report.css';

/**
 * From how many groups on the report has a filter and a count: past about
 * a screenful of names.
 */
const FILTER_FROM = 16;

/**
 * A live report of the groups service: user, groups, status, last refresh.
 *
 * #### Notes
 * Shown by "Show My Hub Groups"; admins use it to debug a deployment.
 * Every value is set as text: user and group names come from the hub and
 * may contain markup; each group name is laid out in its own direction
 * (`dir="auto"`). Past a screenful of groups (a user may hold
 * hundreds), the groups get a filter and a count, and their list scrolls
 * inside the dialog. The report follows the model while it is open: the
 * filter, what is typed in it and its focus stay across refreshes.
 *
 * Groups joined since this server started (`joinedSinceStart`) are named
 * with what a restart brings: a project's collaboration card (this
 * server's token may not see its shared server) and a course's kernels.
 *
 * When the hub reported problems with this server's start
 * (`spawnProblems`), they come first, in a section marked as a warning
 * (`role="alert"`: a screen reader says it when it appears or changes), each
 * sentence as text in its own direction (`dir="auto"`).
 */
export class HubGroupsReport extends ModelView<IHubGroups> {
  /**
   * Create a report that follows `model` until disposed.
   *
   * @param model - The groups service.
   * @param trans - The translation bundle.
   */
  constructor(
    model: IHubGroups,
    private readonly _trans: TranslationBundle
  ) {
    super(model);
    this.addClass('jp-HubGroupsReport');
    const trans = _trans;

    // The groups' row is made once: other rows are made again around it,
    // so that the filter keeps its text and focus.
    this._groupsLabel = document.createElement('dt');
    this._groupsLabel.textContent = trans.__('Groups');
    this._groups = document.createElement('dd');
    this._groups.dataset.field = 'groups';
    this._none = document.createTextNode(trans.__('none'));
    this._items = document.createElement('ul');
    this._items.className = 'jp-HubGroupsReport-groups';
    this._items.setAttribute('aria-label', trans.__('Your hub groups'));

    this._filter = document.createElement('input');
    this._filter.type = 'search';
    this._filter.className = 'jp-mod-styled jp-HubGroupsReport-filter';
    this._filter.placeholder = trans.__('Filter groups');
    this._filter.setAttribute('aria-label', trans.__('Filter groups by name'));
    this._filter.addEventListener('input', () => this._renderGroups());
    this._count = document.createElement('span');
    this._count.className = 'jp-HubGroupsReport-count';
    // Screen readers hear the count change as one types.
    this._count.setAttribute('aria-live', 'polite');
    this._tools = document.createElement('div');
    this._tools.className = 'jp-HubGroupsReport-tools';
    this._tools.append(this._filter, this._count);

    // Made once and put in or taken out: an alert said again only when the
    // problems change, not at each refresh.
    this._problems = document.createElement('div');
    this._problems.className = 'jp-HubGroupsReport-problems';
    this._problems.setAttribute('role', 'alert');
    const title = document.createElement('p');
    title.className = 'jp-HubGroupsReport-problemsTitle';
    title.textContent = trans.__(
      'The hub reported problems when this server started'
    );
    const hint = document.createElement('p');
    hint.className = 'jp-HubGroupsReport-problemsHint';
    hint.textContent = trans.__(
      "Until they are fixed, course kernels, services or collaboration settings may be missing on this server. Your JupyterHub administrator finds the details in the hub's log."
    );
    this._problemItems = document.createElement('ul');
    this._problems.append(title, this._problemItems, hint);

    this._list = document.createElement('dl');
    this._list.append(this._groupsLabel, this._groups);
    this.node.appendChild(this._list);
    this.render();
  }

  /**
   * What the groups are filtered by (a part of their name, in any case).
   */
  get filter(): string {
    return this._filter.value;
  }
  set filter(value: string) {
    this._filter.value = value;
    this._renderGroups();
  }

  protected render(): void {
    const trans = this._trans;
    const model = this.model;
    const before: HTMLElement[] = [];
    const after: HTMLElement[] = [];
    const row = (
      rows: HTMLElement[],
      field: string,
      label: string,
      value: string | Node
    ) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.field = field;
      if (typeof value === 'string') {
        dd.textContent = value;
      } else {
        dd.appendChild(value);
      }
      rows.push(dt, dd);
    };

    const user = model.user;
    row(
      before,
      'user',
      trans.__('User'),
      user
        ? user.displayName && user.displayName !== user.name
          ? trans.__('%1 (%2)', user.name, user.displayName)
          : user.name
        : trans.__('unknown')
    );
    if (user?.serverOwner && user.serverOwner !== user.name) {
      row(before, 'server-owner', trans.__('Server owner'), user.serverOwner);
    }
    const status = document.createElement('span');
    status.dataset.status = model.status;
    status.textContent = Private.statusLabel(model.status, trans);
    row(before, 'status', trans.__('Status'), status);

    const joined = model.joinedSinceStart;
    if (joined.length) {
      // Groups joined since this server started: what comes with a group
      // at a start (a project's card, a course's kernels) needs a restart.
      const value = document.createElement('div');
      const items = document.createElement('ul');
      items.className = 'jp-HubGroupsReport-joined';
      items.append(
        ...joined.map(name => {
          const item = document.createElement('li');
          item.textContent = name;
          item.dir = 'auto';
          return item;
        })
      );
      const hint = document.createElement('p');
      hint.className = 'jp-HubGroupsReport-joinedHint';
      hint.textContent = trans.__(
        "Your server started before you joined these groups, so it has not got what comes with a group when a server starts: the card of a project's shared server, a course's kernels and web services. Restart your server to get them (File → Hub Control Panel: Stop My Server, then Start My Server)."
      );
      value.append(items, hint);
      row(
        after,
        'joined-since-start',
        trans.__('Joined since this server started'),
        value
      );
    }
    row(
      after,
      'last-refresh',
      trans.__('Last refresh'),
      model.lastUpdated ? model.lastUpdated.toLocaleString() : trans.__('never')
    );
    if (model instanceof HubGroupsModel && model.source) {
      row(
        after,
        'source',
        trans.__('Source'),
        model.source === 'server'
          ? trans.__('server extension')
          : trans.__('JupyterHub API')
      );
    }
    if (model.error) {
      row(
        after,
        'error',
        trans.__('Last error'),
        errorMessage(model.error, trans)
      );
    }
    for (const child of Array.from(this._list.children)) {
      if (child !== this._groupsLabel && child !== this._groups) {
        child.remove();
      }
    }
    this._groupsLabel.before(...before);
    this._groups.after(...after);
    this._renderGroups();
    this._renderProblems();
  }

  /**
   * The section of the hub's spawn problems: there only when there are
   * some, its items made again only when they change.
   */
  private _renderProblems(): void {
    const problems = this.model.spawnProblems;
    if (!problems.length) {
      this._problems.remove();
      this._shownProblems = [];
      return;
    }
    const same =
      problems.length === this._shownProblems.length &&
      problems.every((problem, i) => problem === this._shownProblems[i]);
    if (!same) {
      this._problemItems.replaceChildren(
        ...problems.map(problem => {
          const item = document.createElement('li');
          // From the hub: text, never markup, in its own direction.
          item.textContent = problem;
          item.dir = 'auto';
          return item;
        })
      );
      this._shownProblems = [...problems];
    }
    if (this._problems.parentNode !== this.node) {
      this.node.prepend(this._problems);
    }
  }

  /**
   * The groups' row: the names (filtered past a screenful) and their count.
   */
  private _renderGroups(): void {
    const trans = this._trans;
    const all = [...this.model.groups].sort();
    const filtering = all.length >= FILTER_FROM;
    const query = filtering
      ? this._filter.value.trim().toLocaleLowerCase()
      : '';
    const shown = query
      ? all.filter(name => name.toLocaleLowerCase().includes(query))
      : all;
    this._items.replaceChildren(
      ...shown.map(name => {
        const item = document.createElement('li');
        item.textContent = name;
        // Each name in its own direction: a right-to-left name with Latin
        // parts must not be laid out left to right.
        item.dir = 'auto';
        return item;
      })
    );
    this._count.textContent = query
      ? trans.__('%1 of %2 shown', shown.length, all.length)
      : trans._n('%1 group', '%1 groups', all.length);

    const wanted: Node[] = !all.length
      ? [this._none]
      : filtering
        ? [this._tools, this._items]
        : [this._items];
    const children = Array.from(this._groups.childNodes);
    // Put back only what changed: moving the filter would take its focus.
    if (
      children.length !== wanted.length ||
      children.some((child, i) => child !== wanted[i])
    ) {
      this._groups.replaceChildren(...wanted);
    }
    this._groups.classList.toggle('jp-mod-filtered', filtering);
  }

  private _problems: HTMLDivElement;
  private _problemItems: HTMLUListElement;
  private _shownProblems: readonly string[] = [];
  private _list: HTMLDListElement;
  private _groupsLabel: HTMLElement;
  private _groups: HTMLElement;
  private _none: Text;
  private _items: HTMLUListElement;
  private _tools: HTMLDivElement;
  private _filter: HTMLInputElement;
  private _count: HTMLSpanElement;
}

namespace Private {
  /**
   * What each status is called.
   */
  const STATUS_LABELS: {
    readonly [S in IHubGroups.Status]: (trans: TranslationBundle) => string;
  } = {
    loading: trans => trans.__('Loading…'),
    ready: trans => trans.__('Up to date'),
    stale: trans => trans.__('Out of date: the last refresh failed'),
    refused: trans => trans.__('Refused: log in again'),
    unavailable: trans => trans.__('Unavailable'),
    absent: trans => trans.__('Not running under JupyterHub')
  };

  export function statusLabel(
    status: IHubGroups.Status,
    trans: TranslationBundle
  ): string {
    return STATUS_LABELS[status](trans);
  }
}

/**
 * Show the report in a dialog ("Show My Hub Groups"), disposed once
 * closed.
 *
 * @param model - The groups service.
 * @param trans - The translation bundle of this package.
 */
export async function showReport(
  model: IHubGroups,
  trans: TranslationBundle
): Promise<void> {
  const report = new HubGroupsReport(model, trans);
  try {
    await showDialog({
      title: trans.__('My Hub Groups'),
      body: report,
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
  } finally {
    report.dispose();
  }
}
