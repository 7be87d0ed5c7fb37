import { TranslationBundle } from '@jupyterlab/translation';
import { HubGroupsModel } from './model';
import { IHubGroups } from '../tokens';
import { ModelView } from '../common/view';

/**
 * A live report of the groups service: user, groups, status, last refresh.
 *
 * #### Notes
 * Shown by "Show My Hub Groups"; admins use it to debug a deployment.
 * Every value is set as text: user and group names come from the hub and
 * may contain markup.
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
    this.render();
  }

  protected render(): void {
    const trans = this._trans;
    const model = this.model;
    const list = document.createElement('dl');
    const row = (field: string, label: string, value: string | Node) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.field = field;
      if (typeof value === 'string') {
        dd.textContent = value;
      } else {
        dd.appendChild(value);
      }
      list.append(dt, dd);
    };

    const user = model.user;
    row(
      'user',
      trans.__('User'),
      user
        ? user.displayName && user.displayName !== user.name
          ? `${user.name} (${user.displayName})`
          : user.name
        : trans.__('unknown')
    );
    if (user?.serverOwner && user.serverOwner !== user.name) {
      row('server-owner', trans.__('Server owner'), user.serverOwner);
    }
    const status = document.createElement('span');
    status.dataset.status = model.status;
    status.textContent = Private.statusLabel(model.status, trans);
    row('status', trans.__('Status'), status);

    if (model.groups.size) {
      const groups = document.createElement('ul');
      groups.className = 'jp-HubGroupsReport-groups';
      for (const name of [...model.groups].sort()) {
        const item = document.createElement('li');
        item.textContent = name;
        groups.appendChild(item);
      }
      row('groups', trans.__('Groups'), groups);
    } else {
      row('groups', trans.__('Groups'), trans.__('none'));
    }
    row(
      'last-refresh',
      trans.__('Last refresh'),
      model.lastUpdated ? model.lastUpdated.toLocaleString() : trans.__('never')
    );
    if (model instanceof HubGroupsModel && model.source) {
      row(
        'source',
        trans.__('Source'),
        model.source === 'server'
          ? trans.__('server extension')
          : trans.__('JupyterHub API')
      );
    }
    if (model.error) {
      row('error', trans.__('Last error'), model.error);
    }
    this.node.replaceChildren(list);
  }
}

namespace Private {
  export function statusLabel(
    status: IHubGroups.Status,
    trans: TranslationBundle
  ): string {
    switch (status) {
      case 'loading':
        return trans.__('Loading…');
      case 'ready':
        return trans.__('Up to date');
      case 'stale':
        return trans.__('Out of date: the last refresh failed');
      case 'error':
        return trans.__('Unavailable');
      case 'no-hub':
        return trans.__('Not running under JupyterHub');
    }
  }
}
