/**
 * The "Project members" panel of a project made in JupyterLab, for its
 * creator (and admins): who is in it, add and remove people, delete the
 * project. Loaded with the projects' part (`start.ts`). Much smaller than the Course members panel:
 * one list, one field, no bulk import.
 */
import { Dialog, MainAreaWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { usersIcon } from '@jupyterlab/ui-components';

import { ModelView } from '../common/view';
import { IProject } from './client';
import { ProjectsModel } from './model';
import { PeoplePicker } from './people';
import { projectError } from './text';

/**
 * The panel's content: the members of one project, kept in step with the
 * model (the service's answers and the model's reads).
 */
export class ProjectMembers extends ModelView<ProjectsModel> {
  /**
   * @param model - The projects.
   * @param name - The project's name.
   * @param trans - The translation bundle of this package.
   */
  constructor(
    model: ProjectsModel,
    readonly name: string,
    trans: TranslationBundle
  ) {
    super(model);
    this._trans = trans;
    this.addClass('jp-HubGroupsProjectMembers');
    this._heading.dir = 'auto';
    this._list.className = 'jp-HubGroupsProjectMembers-list';
    this._list.setAttribute('aria-label', trans.__('Members'));
    this._status.setAttribute('role', 'status');
    this._status.className = 'jp-HubGroupsProjectMembers-status';
    this.picker = new PeoplePicker({
      client: model.client,
      trans,
      label: trans.__('Add a member'),
      listed: false
    });
    this.picker.picked.connect((_, user) => void this.change([user], true));
    this.deleteButton.type = 'button';
    this.deleteButton.className = 'jp-mod-styled jp-mod-warn';
    this.deleteButton.textContent = trans.__('Delete Project…');
    this.deleteButton.addEventListener('click', () => void this.remove());
    this.node.append(
      this._heading,
      this._about,
      this._list,
      this.picker.node,
      this._status,
      this.deleteButton
    );
    this.render();
  }

  /** The field to add a member. */
  readonly picker: PeoplePicker;
  /** The button that deletes the project. */
  readonly deleteButton = document.createElement('button');

  /**
   * The project as the model has it, or undefined (deleted, or one is
   * no longer in it).
   */
  get project(): IProject | undefined {
    return this.model.byName(this.name);
  }

  /**
   * What the panel says now (a refusal, what was done), for tests.
   */
  get status(): string {
    return this._status.textContent ?? '';
  }

  /**
   * Add or remove members through the service.
   *
   * @param users - Whom.
   * @param add - Add (else remove).
   */
  async change(users: string[], add: boolean): Promise<void> {
    const trans = this._trans;
    try {
      const project = await this.model.client.members(this.name, users, add);
      this._say(
        add
          ? trans.__('Added: %1.', users.join(', '))
          : trans.__('Removed: %1.', users.join(', '))
      );
      await this.model.changedProject(project);
    } catch (reason) {
      console.error('jupyterlab-hub-groups: members not changed', reason);
      this._say(projectError(reason, trans, users));
    }
  }

  /**
   * Delete the project once confirmed; the panel closes.
   *
   * @returns Whether it was deleted.
   */
  async remove(): Promise<boolean> {
    const trans = this._trans;
    const result = await showDialog({
      title: trans.__('Delete project %1?', this.name),
      body: trans.__(
        "Its shared server is stopped and its account deleted: nobody can open it any more. Its files are not deleted (the hub's admins can reach them). This cannot be undone."
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    if (!result.button.accept) {
      return false;
    }
    try {
      await this.model.client.remove(this.name);
    } catch (reason) {
      console.error('jupyterlab-hub-groups: project not deleted', reason);
      this._say(projectError(reason, trans));
      return false;
    }
    await this.model.changedProject(this.name);
    this.parent?.dispose();
    return true;
  }

  dispose(): void {
    this.picker.dispose();
    super.dispose();
  }

  protected render(): void {
    const trans = this._trans;
    const project = this.project;
    this._heading.textContent = trans.__('Project %1', this.name);
    if (!project) {
      this._about.textContent =
        this.model.status === 'ready'
          ? trans.__('This project is gone, or you are no longer in it.')
          : trans.__('Loading…');
      this._list.replaceChildren();
      this.picker.hide();
      this.deleteButton.hidden = true;
      return;
    }
    this._about.textContent = project.creator
      ? trans.__(
          'Made by %1. Its shared server is %2; members open it from their launchers.',
          project.creator,
          project.account
        )
      : trans.__('Its shared server is %1.', project.account);
    this.picker.setHidden(!project.mayManage);
    this.deleteButton.hidden = !project.mayManage || project.kind !== 'runtime';
    for (const member of project.members) {
      this.picker.exclude(member);
    }
    this._list.replaceChildren(
      ...project.members.map(member => this._row(project, member))
    );
  }

  private _row(project: IProject, member: string): HTMLLIElement {
    const trans = this._trans;
    const item = document.createElement('li');
    const text = document.createElement('span');
    text.dir = 'auto';
    text.textContent =
      member === project.creator
        ? trans.__('%1 (made the project)', member)
        : member;
    item.appendChild(text);
    if (project.mayManage && member !== project.creator) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'jp-mod-styled jp-mod-reject';
      remove.textContent = trans.__('Remove');
      remove.setAttribute(
        'aria-label',
        trans.__('Remove %1 from project %2', member, project.name)
      );
      remove.addEventListener('click', () => void this.change([member], false));
      item.appendChild(remove);
    }
    return item;
  }

  private _say(text: string): void {
    this._status.textContent = text;
  }

  private _trans: TranslationBundle;
  private _heading = document.createElement('h2');
  private _about = document.createElement('p');
  private _list = document.createElement('ul');
  private _status = document.createElement('p');
}

/**
 * The panel of a project: its members in a main-area tab.
 *
 * @param model - The projects.
 * @param name - The project's name.
 * @param trans - The translation bundle of this package.
 * @returns The panel (not yet in the shell).
 */
export function membersPanel(
  model: ProjectsModel,
  name: string,
  trans: TranslationBundle
): MainAreaWidget<ProjectMembers> {
  const content = new ProjectMembers(model, name, trans);
  const panel = new MainAreaWidget({ content });
  panel.id = `jp-hub-groups-project-${Private.idPart(name)}`;
  panel.title.label = trans.__('Project %1: Members', name);
  panel.title.icon = usersIcon;
  panel.title.closable = true;
  return panel;
}

namespace Private {
  /**
   * A part of an element id for a name (anything but letters, digits,
   * `-` and `_` as its code).
   */
  export function idPart(name: string): string {
    return name.replace(
      /[^A-Za-z0-9_-]/g,
      c => `.${c.codePointAt(0)!.toString(16)}`
    );
  }
}
