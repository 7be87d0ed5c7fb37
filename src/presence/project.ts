/**
 * Where one is: on a collaboration account's server, the project's name in
 * JupyterLab's top bar ("Project vox", its tooltip naming the account
 * everyone here works as). Loaded with People here's list, and only where
 * the presence answer names a project: never on a personal server.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import '../../style/project.css';

/**
 * The project of this server, as the presence answer names it.
 */
export interface IProject {
  /** The project's hub group, e.g. `vox`. */
  group: string;
  /** The collaboration account whose server this is, e.g. `vox-collab`. */
  account: string;
}

/**
 * The project of a presence answer's `project` field, or null.
 *
 * @param value - The field as the server sent it.
 */
export function readProject(value: unknown): IProject | null {
  const v = value as Partial<IProject> | null | undefined;
  return v && typeof v.group === 'string' && typeof v.account === 'string'
    ? { group: v.group, account: v.account }
    : null;
}

/**
 * The project's name in the top bar: a button that shows who is here.
 */
export class ProjectName extends Widget {
  /**
   * @param project - The project of this server.
   * @param trans - The translation bundle of this package.
   * @param reveal - Shows the list of people here.
   */
  constructor(
    readonly project: IProject,
    trans: TranslationBundle,
    reveal: () => void
  ) {
    super({ node: document.createElement('button') });
    this.id = 'jp-hub-groups-project';
    this.addClass('jp-HubGroupsProject');
    const node = this.node as HTMLButtonElement;
    node.type = 'button';
    // Names come from the hub: text, in their own direction.
    node.dir = 'auto';
    node.textContent = trans.__('Project %1', project.group);
    node.title = trans.__(
      'The shared server of project %1: everyone here works as %2. Click to see who is here.',
      project.group,
      project.account
    );
    node.addEventListener('click', reveal);
  }
}

/**
 * Put the project's name in the shell's top bar, if the presence answer
 * names one.
 *
 * @param shell - The application shell.
 * @param value - The presence answer's `project` field.
 * @param trans - The translation bundle of this package.
 * @param reveal - Shows the list of people here.
 * @returns The name's widget (dispose it to take it away), or null.
 */
export function showProject(
  shell: JupyterFrontEnd.IShell,
  value: unknown,
  trans: TranslationBundle,
  reveal: () => void
): ProjectName | null {
  const project = readProject(value);
  if (!project) {
    return null;
  }
  const name = new ProjectName(project, trans, reveal);
  // After the main menu (rank 100), before the top bar's own items (900).
  shell.add(name, 'top', { rank: 850 });
  return name;
}
