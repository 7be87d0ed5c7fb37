import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IFrame,
  MainAreaWidget,
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
  OPEN_ITEM_COMMAND,
  readLauncherSettings,
  sanitizeSvg
} from './launcher';
import { followSettings } from './settings';
import { IHubGroups } from './tokens';

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
    const itemOf = (args: ReadonlyPartialJSONObject) =>
      items.get(String(args.id));
    commands.addCommand(OPEN_ITEM_COMMAND, {
      label: args => itemOf(args)?.label ?? trans.__('Launcher item'),
      caption: args => itemOf(args)?.caption ?? '',
      icon: args => icons.get(String(args.id)) ?? linkIcon,
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
          const url = expandUrl(item.url!, {
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

    const update = (settings: ISettingRegistry.ISettings) => {
      const { settings: read, problems } = readLauncherSettings(
        settings.composite
      );
      for (const problem of problems) {
        console.warn(`jupyterlab-hub-groups launcher settings: ${problem}`);
      }
      added.dispose();
      added = new DisposableSet();
      items = new Map(read.items.map(item => [item.id, item]));
      // Items removed from the settings lose their icon too.
      icons.clear();
      for (const item of read.items) {
        icons.set(item.id, Private.icon(item));
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
   * The icon of an item: a JupyterLab icon by name, or a sanitized SVG.
   */
  export function icon(item: IItemSettings): LabIcon {
    const icon = item.icon?.trim();
    if (!icon) {
      return linkIcon;
    }
    if (icon.startsWith('<')) {
      const svgstr = sanitizeSvg(icon);
      if (!svgstr) {
        console.warn(
          `jupyterlab-hub-groups: the icon of "${item.id}" is not an SVG.`
        );
        return linkIcon;
      }
      return new LabIcon({
        name: `jupyterlab-hub-groups:item-${item.id}`,
        svgstr
      });
    }
    // An icon another extension registers later replaces the placeholder.
    return LabIcon.resolve({ icon });
  }
}
