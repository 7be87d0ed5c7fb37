import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { PresenceModel } from './model';
import { PeopleHerePanel } from './widgets';

/**
 * The id of our list of people, as a section or as a side panel.
 */
export const PEOPLE_HERE_ID = 'jp-hub-groups-presence';

/**
 * The id of jupyter-collaboration's side panel
 * (`@jupyter/collaboration-extension:rtcPanel`).
 */
export const COLLABORATION_PANEL_ID = 'jp-collaboration-panel';

/**
 * The icon of our own "People here" panel: a person and a list.
 *
 * #### Notes
 * Not JupyterLab's `usersIcon`, which jupyter-collaboration's panel has:
 * two tabs with one icon and two different lists were the confusion.
 */
export const peopleHereIcon = new LabIcon({
  name: 'jupyterlab-hub-groups:people-here',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<circle cx="7.5" cy="8" r="3.5"/>' +
    '<path d="M1 20a6.5 6.5 0 0 1 13 0z"/>' +
    '<rect x="15" y="6" width="8" height="2" rx="1"/>' +
    '<rect x="15" y="11" width="8" height="2" rx="1"/>' +
    '<rect x="15" y="16" width="6" height="2" rx="1"/>' +
    '</g></svg>'
});

/**
 * What we use of jupyter-collaboration's panel: a JupyterLab `SidePanel`,
 * whose `addWidget` adds an accordion section.
 */
interface ISidePanelLike extends Widget {
  addWidget(widget: Widget): void;
  readonly content: Widget & {
    readonly widgets: readonly Widget[];
    expand?(index: number): void;
  };
}

/**
 * Where the list of people here lives, and when it is there.
 *
 * #### Notes
 * One place to look: on a server with jupyter-collaboration, its
 * "Collaboration" panel gets our list as one more section (titled "People
 * here (JupyterHub)") and we add no side panel of our own; elsewhere our
 * own side panel, with an icon of its own. Either way the list is there
 * only while the server answers this user (fail closed: a 403 takes it
 * away), and on a personal server only once someone else is there.
 */
export class PeopleHerePlacement implements IDisposable {
  /**
   * Find jupyter-collaboration's panel in the shell (call once the app is
   * restored, when every panel is in) and follow the model.
   *
   * @param options - The model, the shell and the translation bundle.
   */
  constructor(options: PeopleHerePlacement.IOptions) {
    const { model, shell, trans } = options;
    this._model = model;
    this._shell = shell;
    this._theirs = Private.collaborationPanel(shell);
    const list = (this.list = new PeopleHerePanel(model, trans, {
      heading: !this._theirs
    }));
    list.id = PEOPLE_HERE_ID;
    // One name in both places, apart from jupyter-collaboration's own
    // "Collaboration" and "Online Collaborators".
    list.title.label = trans.__('People here (JupyterHub)');
    list.title.caption = list.title.label;
    if (!this._theirs) {
      list.title.icon = peopleHereIcon;
    }
    model.changed.connect(this._update, this);
    this._update();
    // Where one is, on a collaboration account's server: its project's
    // name, loaded only there.
    if (model.value?.project) {
      void import('./project').then(({ showProject }) => {
        if (!this._isDisposed) {
          this._project = showProject(shell, model.value?.project, trans, () =>
            this.reveal()
          );
        }
      });
    }
  }

  /**
   * The list of people here.
   */
  readonly list: PeopleHerePanel;

  /**
   * `collaboration`: a section of jupyter-collaboration's panel;
   * `own`: our own side panel.
   */
  get host(): 'collaboration' | 'own' {
    return this._theirs ? 'collaboration' : 'own';
  }

  /**
   * Whether the placement is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Show the list: open the panel that holds it (and, in
   * jupyter-collaboration's panel, expand our section).
   */
  reveal(): void {
    if (!this.list.parent) {
      return;
    }
    if (this._theirs) {
      this._shell.activateById(this._theirs.id);
      const index = this._theirs.content.widgets.indexOf(this.list);
      if (index !== -1) {
        this._theirs.content.expand?.(index);
      }
    } else {
      this._shell.activateById(this.list.id);
    }
  }

  /**
   * Take the list away and stop following the model. Idempotent.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.changed.disconnect(this._update, this);
    this.list.dispose();
    this._project?.dispose();
  }

  private _update(): void {
    const list = this.list;
    if (this._model.worthShowing && !list.parent) {
      if (this._theirs) {
        this._theirs.addWidget(list);
      } else {
        this._shell.add(list, 'left', { rank: 850, type: 'People here' });
      }
    } else if (this._model.status === 'refused' && list.parent) {
      list.parent = null;
    }
  }

  private _model: PresenceModel;
  private _shell: JupyterFrontEnd.IShell;
  private _theirs: ISidePanelLike | null;
  private _project: Widget | null = null;
  private _isDisposed = false;
}

/**
 * A namespace for PeopleHerePlacement statics.
 */
export namespace PeopleHerePlacement {
  /**
   * Options to place the list.
   */
  export interface IOptions {
    /** Who is here. */
    model: PresenceModel;
    /** The application shell. */
    shell: JupyterFrontEnd.IShell;
    /** The translation bundle of this package. */
    trans: TranslationBundle;
  }
}

namespace Private {
  /**
   * jupyter-collaboration's panel, if it is in a side area and is a side
   * panel we can add a section to.
   */
  export function collaborationPanel(
    shell: JupyterFrontEnd.IShell
  ): ISidePanelLike | null {
    for (const area of ['left', 'right'] as const) {
      for (const widget of shell.widgets(area)) {
        if (widget.id === COLLABORATION_PANEL_ID && isSidePanel(widget)) {
          return widget;
        }
      }
    }
    return null;
  }

  function isSidePanel(widget: Widget): widget is ISidePanelLike {
    const candidate = widget as unknown as {
      addWidget?: unknown;
      content?: { widgets?: unknown };
    };
    return (
      typeof candidate.addWidget === 'function' &&
      Array.isArray(candidate.content?.widgets)
    );
  }
}
