/**
 * "New Project…": a dialog asking a project's name and its members (picked
 * by name, with completion), which the service makes; a refusal shows in
 * the dialog again, with what was typed. Loaded with the projects' part
 * (`start.ts`).
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { IProject } from './client';
import { ProjectsModel } from './model';
import { PeoplePicker } from './people';
import { projectError } from './text';

/**
 * The longest name the dialog sends (the service checks the rest).
 */
const MAX_NAME = 255;

/**
 * The dialog's body: the name, the members, and what went wrong.
 */
export class NewProjectBody extends Widget {
  /**
   * @param options - The model (its client), the bundle, what was typed
   *   before, and the last refusal.
   */
  constructor(options: NewProjectBody.IOptions) {
    super();
    const { trans, model } = options;
    this.addClass('jp-HubGroupsNewProject');
    const label = document.createElement('label');
    label.textContent = trans.__('Name');
    this.name.className = 'jp-mod-styled';
    this.name.type = 'text';
    this.name.required = true;
    this.name.maxLength = MAX_NAME;
    this.name.autocomplete = 'off';
    this.name.spellcheck = false;
    this.name.value = options.name ?? '';
    label.appendChild(this.name);
    const about = document.createElement('p');
    about.className = 'jp-HubGroupsNewProject-about';
    const limit = model.value;
    about.textContent = limit?.maxPerPerson
      ? trans.__(
          'A project has a shared server its members open from their launchers. You have made %1 of %2.',
          limit.created,
          limit.maxPerPerson
        )
      : trans.__(
          'A project has a shared server its members open from their launchers.'
        );
    this.picker = new PeoplePicker({
      client: model.client,
      trans,
      label: trans.__('Members (you are one)'),
      exclude: options.me ? [options.me] : [],
      names: options.members
    });
    this.error.className = 'jp-HubGroupsNewProject-error';
    this.error.setAttribute('role', 'alert');
    this.error.textContent = options.error ?? '';
    this.error.hidden = !options.error;
    this.node.append(about, label, this.picker.node, this.error);
  }

  /** The name field. */
  readonly name = document.createElement('input');
  /** The members. */
  readonly picker: PeoplePicker;
  /** What went wrong last time. */
  readonly error = document.createElement('p');

  /**
   * What was typed: the name (trimmed) and the members (a name still in
   * the members' field too).
   */
  getValue(): { name: string; members: string[] } {
    // A name typed but not added yet counts (the service checks it).
    const typed = this.picker.input.value.trim();
    const members = [...this.picker.names];
    if (typed && !members.includes(typed)) {
      members.push(typed);
    }
    return { name: this.name.value.trim(), members };
  }

  dispose(): void {
    this.picker.dispose();
    super.dispose();
  }
}

/**
 * A namespace for NewProjectBody statics.
 */
export namespace NewProjectBody {
  /**
   * Options of the body.
   */
  export interface IOptions {
    /** The projects (the client, the user's count and limit). */
    model: ProjectsModel;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
    /** The user (never offered as a member: they are one). */
    me?: string;
    /** The name typed before. */
    name?: string;
    /** The members picked before. */
    members?: readonly string[];
    /** Why the last try failed. */
    error?: string;
  }
}

/**
 * Ask for a new project's name and members and make it; ask again with a
 * refusal's reason until it is made or the user cancels.
 *
 * @param model - The projects (read again once it is made).
 * @param trans - The translation bundle of this package.
 * @param me - The user's name.
 * @returns The project made, or null.
 */
export async function newProject(
  model: ProjectsModel,
  trans: TranslationBundle,
  me?: string
): Promise<IProject | null> {
  let typed: { name: string; members: string[] } = { name: '', members: [] };
  let error: string | undefined = undefined;
  for (;;) {
    const body = new NewProjectBody({ model, trans, me, ...typed, error });
    const result = await showDialog({
      title: trans.__('New Project'),
      body,
      focusNodeSelector: 'input',
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({
          label: trans.__('Create'),
          caption: trans.__('Make the project and its shared server')
        })
      ]
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    typed = result.value;
    if (!typed.name) {
      error = trans.__('A project needs a name.');
      continue;
    }
    try {
      const project = await model.client.create(typed.name, typed.members);
      model.start();
      await model.changedProject(project);
      Notification.success(
        trans.__(
          'Project %1 is made: its card is in the launcher for every member.',
          project.name
        ),
        { autoClose: 5000 }
      );
      return project;
    } catch (reason) {
      console.error('jupyterlab-hub-groups: new project refused', reason);
      error = projectError(reason, trans);
    }
  }
}
