import { ILabShell, JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher, Launcher } from '@jupyterlab/launcher';
import { ITranslator } from '@jupyterlab/translation';
import { launcherIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { DockPanel, TabBar, Widget } from '@lumino/widgets';

/**
 * Opens launchers in the main area the way JupyterLab's own launcher
 * plugin does, showing the cards of our model.
 *
 * #### Notes
 * Our launcher plugin replaces the core one (JupyterLab has no API to hide
 * cards that other extensions add), so what users know from the core one
 * is kept here: a launcher opens in the file browser's folder and follows
 * it, a launched document replaces its launcher, the "+" button of the main
 * area opens one, and so does a main area left empty (also after a reload).
 */
export class LauncherCreator {
  /**
   * @param options - The application, the model, and what is optional.
   */
  constructor(options: LauncherCreator.IOptions) {
    this._shell = options.shell;
    this._commands = options.commands;
    this._model = options.model;
    this._translator = options.translator;
    this._labShell = options.labShell ?? null;
    this._defaultBrowser = options.defaultBrowser ?? null;
  }

  /**
   * Open a launcher in the main area.
   *
   * @param args - The args of `launcher:create`: `cwd`, `activate`, `ref`.
   * @returns The launcher's main area widget.
   */
  create(args: ReadonlyPartialJSONObject): MainAreaWidget<Launcher> {
    const shell = this._shell;
    const labShell = this._labShell;
    const defaultBrowser = this._defaultBrowser;
    const trans = this._translator.load('jupyterlab');
    const cwd = (args['cwd'] as string) ?? defaultBrowser?.model.path ?? '';
    const id = `launcher-${Private.nextId()}`;
    const callback = (item: Widget) => {
      // A launched widget in the main area replaces its launcher.
      if (Array.from(shell.widgets('main')).includes(item)) {
        shell.add(item, 'main', { ref: id });
        launcher.dispose();
      }
    };
    const launcher = new Launcher({
      model: this._model,
      cwd,
      callback,
      commands: this._commands,
      translator: this._translator
    });
    launcher.model = this._model;
    launcher.title.icon = launcherIcon;
    launcher.title.label = trans.__('Launcher');

    const main = new MainAreaWidget({ content: launcher });
    main.title.closable = !!Array.from(shell.widgets('main')).length;
    main.id = id;
    shell.add(main, 'main', {
      activate: args['activate'] as boolean,
      ref: args['ref'] as string
    });
    labShell?.layoutModified.connect(() => {
      main.title.closable = Array.from(labShell.widgets('main')).length > 1;
    }, main);
    if (defaultBrowser) {
      const onPathChanged = () => {
        launcher.cwd = defaultBrowser.model.path;
      };
      defaultBrowser.model.pathChanged.connect(onPathChanged);
      launcher.disposed.connect(() =>
        defaultBrowser.model.pathChanged.disconnect(onPathChanged)
      );
    }
    return main;
  }

  /**
   * Open a launcher with `command` whenever the main area is left empty
   * (once the layout is restored), and from the main area's "+" button.
   *
   * @param command - The command that runs {@link create}.
   * @param restored - Resolves once JupyterLab restored its layout.
   */
  followShell(command: string, restored: Promise<unknown>): void {
    const labShell = this._labShell;
    if (!labShell) {
      return;
    }
    const commands = this._commands;
    void Promise.all([restored, this._defaultBrowser?.model.restored]).then(
      () => {
        // Before the layout is restored the main area is empty on every
        // load: a launcher then would open next to the restored documents.
        labShell.layoutModified.connect(() => {
          if (labShell.isEmpty('main')) {
            void commands.execute(command);
          }
        });
      }
    );
    labShell.addButtonEnabled = true;
    labShell.addRequested.connect((_: DockPanel, bar: TabBar<Widget>) => {
      const ref =
        bar.currentTitle?.owner.id ||
        bar.titles[bar.titles.length - 1].owner.id;
      return commands.execute(command, { ref });
    });
  }

  private _shell: JupyterFrontEnd.IShell;
  private _commands: CommandRegistry;
  private _model: ILauncher.IModel;
  private _translator: ITranslator;
  private _labShell: ILabShell | null;
  private _defaultBrowser: IDefaultFileBrowser | null;
}

/**
 * A namespace for LauncherCreator statics.
 */
export namespace LauncherCreator {
  /**
   * Options to create a LauncherCreator.
   */
  export interface IOptions {
    /** The application shell. */
    shell: JupyterFrontEnd.IShell;
    /** The command registry, to run the cards' commands. */
    commands: CommandRegistry;
    /** The launcher model whose cards the launchers show. */
    model: ILauncher.IModel;
    /** The translator. */
    translator: ITranslator;
    /** JupyterLab's shell, when the application has one. */
    labShell?: ILabShell | null;
    /** The default file browser, whose folder launchers open in. */
    defaultBrowser?: IDefaultFileBrowser | null;
  }
}

namespace Private {
  let lastId = 0;

  /**
   * A new id for a launcher widget.
   */
  export function nextId(): number {
    return lastId++;
  }
}
