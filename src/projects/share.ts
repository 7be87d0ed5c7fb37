/**
 * "Share My Server…": on one's own server, who else may open it (people,
 * or one of one's groups, whose members the service keeps in step), and
 * taking that away. The UI JupyterHub's own docs say sharing lacks.
 * Loaded when the command runs; never on someone else's server (the
 * plugin does not offer it there, and the service refuses collaboration
 * accounts).
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { IShare, ProjectsClient } from './client';
import { PeoplePicker } from './people';
import { rememberGroupShare } from './remember';
import { projectError } from './text';

/**
 * The dialog's body: who has access, and the fields to give it.
 */
export class ShareBody extends Widget {
  /**
   * @param options - The client, the bundle, the user's groups.
   */
  constructor(options: ShareBody.IOptions) {
    super();
    const { trans } = options;
    this._client = options.client;
    this._trans = trans;
    this.addClass('jp-HubGroupsShare');
    const about = document.createElement('p');
    about.textContent = trans.__(
      'People you share your server with can open it and work in it as you: your files, your kernels, your terminal. Share only with people you trust.'
    );
    this._heading.textContent = trans.__('Who has access');
    this._list.className = 'jp-HubGroupsShare-list';
    this._list.setAttribute('aria-label', trans.__('Who has access'));
    this.picker = new PeoplePicker({
      client: this._client,
      trans,
      label: trans.__('Share with a person'),
      listed: false
    });
    this.picker.picked.connect(
      (_, user) => void this._change(this._client.share({ users: [user] }))
    );
    const groups = document.createElement('div');
    groups.className = 'jp-HubGroupsPeople-row';
    const label = document.createElement('label');
    label.textContent = trans.__('Share with one of your groups');
    this.group.className = 'jp-mod-styled';
    for (const name of options.groups) {
      const option = document.createElement('option');
      option.value = option.textContent = name;
      this.group.appendChild(option);
    }
    label.appendChild(this.group);
    const shareGroup = this.shareGroupButton;
    shareGroup.type = 'button';
    shareGroup.className = 'jp-mod-styled jp-mod-accept';
    shareGroup.textContent = trans.__('Share');
    shareGroup.title = trans.__(
      "Share with the group's members, also those who join it later"
    );
    shareGroup.addEventListener(
      'click',
      () =>
        void (
          this.group.value &&
          this._change(this._client.share({ group: this.group.value }))
        )
    );
    groups.append(label, shareGroup);
    groups.hidden = options.groups.length === 0;
    this._status.setAttribute('role', 'status');
    this._status.className = 'jp-HubGroupsShare-status';
    this.node.append(
      about,
      this._heading,
      this._list,
      this.picker.node,
      groups,
      this._status
    );
  }

  /** The field to share with a person. */
  readonly picker: PeoplePicker;
  /** The choice of one's groups. */
  readonly group = document.createElement('select');
  /** The button that shares with the group chosen. */
  readonly shareGroupButton = document.createElement('button');

  /**
   * Who has access, as last answered.
   */
  get shares(): readonly IShare[] {
    return this._shares;
  }

  /**
   * What the dialog says now (a refusal, what was done), for tests.
   */
  get status(): string {
    return this._status.textContent ?? '';
  }

  /**
   * Read who has access.
   */
  async load(): Promise<void> {
    await this._change(this._client.shares(), false);
  }

  /**
   * Take a person's or a group's access away.
   *
   * @param share - The share.
   */
  revoke(share: IShare): Promise<void> {
    return this._change(
      this._client.revoke(
        share.kind === 'user' ? { user: share.user } : { group: share.group }
      )
    );
  }

  dispose(): void {
    this.picker.dispose();
    super.dispose();
  }

  /**
   * Show what a call answered (the listing), or why it failed.
   */
  private async _change(call: Promise<IShare[]>, done = true): Promise<void> {
    try {
      this._shares = await call;
      rememberGroupShare(this._shares.some(s => s.kind === 'group'));
      this._render();
      if (done) {
        this._status.textContent = this._trans.__('Done.');
      }
    } catch (reason) {
      console.error('jupyterlab-hub-groups: shares', reason);
      this._status.textContent = projectError(reason, this._trans);
    }
  }

  private _render(): void {
    const trans = this._trans;
    if (this._shares.length === 0) {
      const none = document.createElement('li');
      none.textContent = trans.__('Only you.');
      this._list.replaceChildren(none);
      return;
    }
    this._list.replaceChildren(
      ...this._shares.map(share => {
        const item = document.createElement('li');
        const text = document.createElement('span');
        text.dir = 'auto';
        text.textContent =
          share.kind === 'user'
            ? share.user
            : trans.__(
                'Group %1 (%2)',
                share.group,
                share.users.join(', ') || trans.__('nobody yet')
              );
        const name = share.kind === 'user' ? share.user : share.group;
        const revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.className = 'jp-mod-styled jp-mod-warn';
        revoke.textContent = trans.__('Revoke');
        revoke.setAttribute(
          'aria-label',
          trans.__('Revoke access of %1', name)
        );
        revoke.addEventListener('click', () => void this.revoke(share));
        item.append(text, revoke);
        return item;
      })
    );
  }

  private _client: ProjectsClient;
  private _trans: TranslationBundle;
  private _shares: IShare[] = [];
  private _heading = document.createElement('h3');
  private _list = document.createElement('ul');
  private _status = document.createElement('p');
}

/**
 * A namespace for ShareBody statics.
 */
export namespace ShareBody {
  /**
   * Options of the body.
   */
  export interface IOptions {
    /** The service's client. */
    client: ProjectsClient;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The user's groups, to share with one. */
    groups: readonly string[];
  }
}

/**
 * Show the "Share My Server" dialog: who has access, share, revoke.
 *
 * @param groups - The user's groups.
 * @param trans - The translation bundle of this package.
 * @param client - The service's client (default: this page's; null: not
 *   here, which the dialog says).
 */
export async function shareServer(
  groups: Iterable<string>,
  trans: TranslationBundle,
  client: ProjectsClient | null = ProjectsClient.fromPage()
): Promise<void> {
  if (!client) {
    await showDialog({
      title: trans.__('Share My Server'),
      body: trans.__('Only your own server can be shared, from its own page.'),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return;
  }
  const body = new ShareBody({ client, groups: [...groups].sort(), trans });
  void body.load();
  await showDialog({
    title: trans.__('Share My Server'),
    body,
    focusNodeSelector: 'input',
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
