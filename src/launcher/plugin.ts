import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IFrame,
  MainAreaWidget,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher, Launcher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import {
  addIcon,
  launcherIcon,
  LabIcon,
  linkIcon
} from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { DisposableSet } from '@lumino/disposable';
import { DockPanel, TabBar, Widget } from '@lumino/widgets';

import {
  allRules,
  expandUrl,
  HubGroupsLauncherModel,
  IItemSettings,
  IUrlContext,
  OPEN_ITEM_COMMAND,
  readLauncherSettings
} from './items';
import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';

/**
 * Command IDs of the launcher (the core launcher's, kept as they are).
 */
namespace CommandIDs {
  export const create = 'launcher:create';
}

/**
 * The launcher, filtered by hub groups. Replaces the core launcher plugin
 * (`@jupyterlab/launcher-extension:plugin`, disabled in our package.json)
 * and keeps what users know from it: `launcher:create` with its menu entry,
 * shortcut and palette item, the "+" button of the main area, and a
 * launcher whenever the main area is empty (also after a reload).
 */
export const launcherPlugin: JupyterFrontEndPlugin<ILauncher> = {
  id: 'jupyterlab-hub-groups:launcher',
  description:
    'Provides the launcher, showing each card only to the hub groups allowed to see it.',
  autoStart: true,
  provides: ILauncher,
  requires: [IHubGroups, ITranslator],
  optional: [ILabShell, ICommandPalette, IDefaultFileBrowser, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    groups: IHubGroups,
    translator: ITranslator,
    labShell: ILabShell | null,
    palette: ICommandPalette | null,
    defaultBrowser: IDefaultFileBrowser | null,
    settingRegistry: ISettingRegistry | null
  ): ILauncher => {
    const { commands, shell } = app;
    const trans = translator.load('jupyterlab_hub_groups');
    const coreTrans = translator.load('jupyterlab');
    const model = new HubGroupsLauncherModel(groups);
    let items = new Map<string, IItemSettings>();
    const icons = new Map<string, LabIcon>();
    let added = new DisposableSet();

    // --- The core launcher's command and behaviour -----------------------
    commands.addCommand(CommandIDs.create, {
      label: coreTrans.__('New Launcher'),
      icon: args => (args.toolbar ? addIcon : undefined),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            cwd: { type: 'string' },
            toolbar: { type: 'boolean' },
            activate: { type: 'boolean' },
            ref: { type: 'string' }
          }
        }
      },
      execute: (args: ReadonlyPartialJSONObject) => {
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
          model,
          cwd,
          callback,
          commands,
          translator
        });
        launcher.model = model;
        launcher.title.icon = launcherIcon;
        launcher.title.label = coreTrans.__('Launcher');

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
    });

    if (labShell) {
      void Promise.all([app.restored, defaultBrowser?.model.restored]).then(
        () => {
          const maybeCreate = () => {
            if (labShell.isEmpty('main')) {
              void commands.execute(CommandIDs.create);
            }
          };
          labShell.layoutModified.connect(maybeCreate);
        }
      );
      labShell.addButtonEnabled = true;
      labShell.addRequested.connect((_: DockPanel, bar: TabBar<Widget>) => {
        const ref =
          bar.currentTitle?.owner.id ||
          bar.titles[bar.titles.length - 1].owner.id;
        return commands.execute(CommandIDs.create, { ref });
      });
    }
    palette?.addItem({
      command: CommandIDs.create,
      category: coreTrans.__('Launcher')
    });

    // --- Our own items -----------------------------------------------------
    const urlContext = (): IUrlContext => ({
      baseUrl: PageConfig.getBaseUrl().replace(/^[a-z]+:\/\/[^/]+/i, ''),
      hubPrefix: PageConfig.getOption('hubPrefix'),
      hubHost: PageConfig.getOption('hubHost'),
      user:
        groups.user?.name ||
        PageConfig.getOption('hubUser') ||
        app.serviceManager.user.identity?.username ||
        '',
      serverUser: PageConfig.getOption('hubServerUser')
    });
    // The launcher renders every card in one React tree, where a throw
    // empties it: these callbacks never throw, whatever the args.
    const itemOf = (args: ReadonlyPartialJSONObject) =>
      typeof args.id === 'string' ? items.get(args.id) : undefined;
    commands.addCommand(OPEN_ITEM_COMMAND, {
      label: args =>
        Private.safely(
          () => itemOf(args)?.label ?? trans.__('Launcher item'),
          trans.__('Launcher item')
        ),
      caption: args => Private.safely(() => itemOf(args)?.caption ?? '', ''),
      icon: args =>
        Private.safely(
          () => (typeof args.id === 'string' && icons.get(args.id)) || linkIcon,
          linkIcon
        ),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            id: {
              type: 'string',
              description: trans.__(
                'The id of an item in the launcher settings'
              )
            }
          },
          required: ['id']
        }
      },
      execute: async args => {
        const item = itemOf(args);
        if (!item) {
          return;
        }
        try {
          if (item.command) {
            return await commands.execute(item.command, item.args ?? {});
          }
          // Checked when the settings are read, and again here: the page's
          // values (the user name) may have changed since.
          const url = expandUrl(item.url!, urlContext());
          if (item.target === 'window') {
            window.open(url, '_blank', 'noopener');
            return;
          }
          const frame = new IFrame({
            sandbox: [
              'allow-scripts',
              'allow-same-origin',
              'allow-forms',
              'allow-downloads',
              'allow-popups'
            ]
          });
          frame.url = url;
          frame.addClass('jp-HubGroupsFrame');
          const widget = new MainAreaWidget({ content: frame });
          widget.id = `hub-groups-item-${Private.nextId()}`;
          widget.title.label = item.label;
          widget.title.caption = item.caption ?? url;
          widget.title.icon = icons.get(item.id) ?? linkIcon;
          widget.title.closable = true;
          shell.add(widget, 'main');
          return widget;
        } catch (reason) {
          console.error(`jupyterlab-hub-groups: item "${item.id}"`, reason);
          void showErrorMessage(
            trans.__('Cannot open "%1"', item.label),
            (reason as Error).message ?? String(reason)
          );
        }
      }
    });

    let notification: string | null = null;
    const update = (settings: ISettingRegistry.ISettings) => {
      const {
        settings: read,
        icons: readIcons,
        problems
      } = readLauncherSettings(
        settings.composite,
        urlContext(),
        window.location.href
      );
      for (const problem of problems) {
        console.warn(
          `jupyterlab-hub-groups launcher settings: "${problem.subject}" left out: ${problem.message}`
        );
      }
      if (notification !== null) {
        Notification.dismiss(notification);
        notification = null;
      }
      if (problems.length) {
        // Not a dialog: the launcher works, without these items.
        notification = Notification.warning(
          trans._n(
            'Launcher item left out (see the browser console): %2',
            '%1 launcher items left out (see the browser console): %2',
            problems.length,
            problems.map(problem => problem.subject).join(', ')
          ),
          { autoClose: 10_000 }
        );
      }
      added.dispose();
      added = new DisposableSet();
      items = new Map(read.items.map(item => [item.id, item]));
      // Items removed from the settings lose their icon too.
      icons.clear();
      for (const [id, icon] of readIcons) {
        icons.set(id, icon);
      }
      model.rules = allRules(read);
      model.setItemGroups(
        new Map(read.items.map(item => [item.id, item.groups ?? []]))
      );
      for (const item of read.items) {
        added.add(
          model.add({
            command: OPEN_ITEM_COMMAND,
            args: { id: item.id },
            category: item.category ?? trans.__('Other'),
            rank: item.rank
          })
        );
      }
    };
    followSettings(settingRegistry, launcherPlugin.id, update, app.restored);
    return model;
  }
};

namespace Private {
  let lastId = 0;

  /**
   * A new id for a launcher or item widget.
   */
  export function nextId(): number {
    return lastId++;
  }

  /**
   * The value of a callback, or a fallback if it throws.
   */
  export function safely<T>(callback: () => T, fallback: T): T {
    try {
      return callback();
    } catch (reason) {
      console.warn('jupyterlab-hub-groups: a launcher item', reason);
      return fallback;
    }
  }
}
