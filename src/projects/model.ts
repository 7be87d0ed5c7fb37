/**
 * The projects the hub-groups service keeps for the user (made in
 * JupyterLab, or YAML projects kept by shares), kept fresh while the page
 * is visible: a second source of collaboration cards, beside the server
 * extension's `GET collaborations`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type {
  ICollaboration,
  ICollaborationAction,
  ICollaborationSource,
  IDegraded
} from '../collaboration/model';
import { whenRunning } from '../collaboration/running';
import { ReadModel } from '../common/readmodel';
import { IProject, IProjects, ProjectsClient } from './client';

/**
 * The service's projects of the user, polled on the package's one life
 * cycle (`ReadModel`: standby while the page is hidden, a backoff after
 * failures).
 *
 * #### Notes
 * A failed read keeps the last list (`stale`): the cards stay while the
 * service restarts. What a member may do is the hub's and the service's
 * to decide; the cards only show it.
 */
export class ProjectsModel
  extends ReadModel<IProjects>
  implements ICollaborationSource
{
  /**
   * @param options - The client, seconds between reads (15), `auto`.
   */
  constructor(options: ProjectsModel.IOptions) {
    super({
      name: 'projects',
      interval: options.interval ?? 15,
      auto: options.auto
    });
    this.client = options.client;
  }

  /**
   * The service's client.
   */
  readonly client: ProjectsClient;

  /**
   * The projects, as of the last read (kept while `stale`).
   */
  get projects(): readonly IProject[] {
    return this.value?.projects ?? [];
  }

  /**
   * The projects' shared servers, for the collaboration cards.
   */
  get collaborations(): readonly ICollaboration[] {
    return this.projects.map(p => ({
      group: p.name,
      account: p.account,
      status: p.status
    }));
  }

  /**
   * Always null: the service reads every state itself.
   */
  get degraded(): IDegraded | null {
    return null;
  }

  /**
   * Emitted when the user asks to see a project's members, with its name
   * (the card's dialog's "Members" button).
   */
  get membersRequested(): ISignal<this, string> {
    return this._membersRequested;
  }

  /**
   * The project of a collaboration account, or undefined.
   *
   * @param account - The account.
   */
  byAccount(account: string): IProject | undefined {
    return this.projects.find(p => p.account === account);
  }

  /**
   * The project of a name, or undefined.
   *
   * @param name - The project's name.
   */
  byName(name: string): IProject | undefined {
    return this.projects.find(p => p.name === name);
  }

  async stop(account: string): Promise<void> {
    await this.client.server(this._name(account), false);
    await this.readAgain();
  }

  async startServer(account: string): Promise<ICollaboration['status']> {
    const project = await this.client.server(this._name(account), true);
    await this.readAgain();
    // just asked to start: whatever the hub says yet, it is starting
    return project.status === 'running' ? 'running' : 'starting';
  }

  whenRunning(
    account: string,
    options?: { every?: number; timeout?: number }
  ): Promise<void> {
    return whenRunning(this, account, options);
  }

  /**
   * A "Members" button on the dialog of a project one may manage.
   *
   * @param c - The card's shared server.
   */
  actions(c: ICollaboration): ICollaborationAction[] {
    const project = this.byAccount(c.account);
    return project?.mayManage && this._labels
      ? [
          {
            ...this._labels,
            run: () => this._membersRequested.emit(project.name)
          }
        ]
      : [];
  }

  /**
   * The words of the "Members" button (translated by the caller); none:
   * no button.
   */
  set membersButton(labels: { label: string; caption: string } | null) {
    this._labels = labels;
  }

  /**
   * Take what a change answered (a project), then read again.
   *
   * @param project - The project as the service answered, or the name of
   *   one deleted.
   */
  async changedProject(project: IProject | string): Promise<void> {
    const value = this.value;
    if (value && this.status === 'ready') {
      const name = typeof project === 'string' ? project : project.name;
      const others = value.projects.filter(p => p.name !== name);
      this.set({
        ...value,
        projects:
          typeof project === 'string'
            ? others
            : [...others, project].sort((a, b) => a.name.localeCompare(b.name))
      });
    }
    await this.readAgain();
  }

  protected read(): Promise<IProjects> {
    return this.client.projects();
  }

  private _name(account: string): string {
    return this.byAccount(account)?.name ?? account;
  }

  private _labels: { label: string; caption: string } | null = null;
  private _membersRequested = new Signal<this, string>(this);
}

/**
 * A namespace for ProjectsModel statics.
 */
export namespace ProjectsModel {
  /**
   * Options to create the model.
   */
  export interface IOptions {
    /** The service's client. */
    client: ProjectsClient;
    /** Seconds between reads while the page is visible (15). */
    interval?: number;
    /** Start polling at once (default true). */
    auto?: boolean;
  }
}
