import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { usersIcon } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import {
  collaborationUrls,
  CollaborationsModel,
  ICollaboration
} from './model';
import { followSettings } from '../common/settings';
import { IHubGroups } from '../tokens';

/**
 * The command behind a collaboration card; args `{ account }`.
 */
const OPEN_COLLABORATION = 'hub-groups:open-collaboration';

/**
 * Collaboration cards: in the launcher, one card per project of the user,
 * to open, start or stop the project's shared server.
 */
export const collaborationPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hub-groups:collaboration',
  description:
    "Adds a launcher card per project of the user, to open, start and stop the project's shared server.",
  autoStart: true,
  requires: [IHubGroups, ILauncher, ITranslator],
  optional: [ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    groups: IHubGroups,
    launcher: ILauncher,
    translator: ITranslator,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const hubPrefix = PageConfig.getOption('hubPrefix');
    if (!hubPrefix) {
      return; // no hub, no shared servers
    }
    const trans = translator.load('jupyterlab_hub_groups');
    const model = new CollaborationsModel({
      serverSettings: app.serviceManager.serverSettings,
      auto: false
    });
    // Not needed to draw JupyterLab: first request once it is restored.
    void app.restored.then(() => model.start());
    const byAccount = () =>
      new Map(model.collaborations.map(c => [c.account, c]));
    const urls = (account: string) =>
      collaborationUrls(PageConfig.getOption('hubHost'), hubPrefix, account);

    app.commands.addCommand(OPEN_COLLABORATION, {
      label: args => byAccount().get(String(args.account))?.group ?? '',
      caption: args => {
        const c = byAccount().get(String(args.account));
        return c ? Private.caption(c, model.degraded, trans) : '';
      },
      icon: usersIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            account: {
              type: 'string',
              description: trans.__('The collaboration account')
            }
          },
          required: ['account']
        }
      },
      execute: async args => {
        await model.refresh().catch(() => undefined);
        const c = byAccount().get(String(args.account));
        if (!c) {
          return;
        }
        await Private.showActions(c, model, urls(c.account), trans);
      }
    });

    // One card per project; re-added when its status changes, so that open
    // launchers show the new caption.
    const cards = new Map<string, { key: string; card: IDisposable }>();
    const sync = () => {
      const seen = new Set<string>();
      for (const c of model.collaborations) {
        seen.add(c.account);
        const key = `${c.group}|${c.status}|${model.degraded}`;
        if (cards.get(c.account)?.key === key) {
          continue;
        }
        cards.get(c.account)?.card.dispose();
        cards.set(c.account, {
          key,
          card: launcher.add({
            command: OPEN_COLLABORATION,
            args: { account: c.account },
            category: trans.__('Collaboration'),
            rank: 0
          })
        });
      }
      for (const [account, { card }] of cards) {
        if (!seen.has(account)) {
          card.dispose();
          cards.delete(account);
        }
      }
    };
    model.changed.connect(sync);
    // Joining or leaving a project shows at the next groups refresh (the
    // first answer of the groups service is no change: the poll covers it).
    let lastGroups: string | null = null;
    groups.changed.connect(() => {
      const now = [...groups.groups].sort().join('\n');
      if (lastGroups !== null && now !== lastGroups) {
        void model.refresh().catch(() => undefined);
      }
      lastGroups = now;
    });

    followSettings(settingRegistry, collaborationPlugin.id, settings => {
      model.interval = settings.get('interval').composite as number;
    });
  }
};

namespace Private {
  export function statusText(
    status: ICollaboration['status'],
    trans: TranslationBundle
  ): string {
    switch (status) {
      case 'running':
        return trans.__('running');
      case 'starting':
        return trans.__('starting');
      case 'stopping':
        return trans.__('stopping');
      case 'stopped':
        return trans.__('stopped');
      default:
        return trans.__('status unknown');
    }
  }

  export function caption(
    c: ICollaboration,
    degraded: string | null,
    trans: TranslationBundle
  ): string {
    const text = trans.__(
      'Shared server of project %1 (%2): %3',
      c.group,
      c.account,
      statusText(c.status, trans)
    );
    return c.status === 'unknown' && degraded ? `${text}. ${degraded}` : text;
  }

  /**
   * The card's dialog: the status, and what can be done from here.
   */
  export async function showActions(
    c: ICollaboration,
    model: CollaborationsModel,
    urls: { open: string; start: string },
    trans: TranslationBundle
  ): Promise<void> {
    const body = new Widget();
    body.addClass('jp-HubGroupsCollaboration');
    const text = document.createElement('p');
    text.textContent = caption(c, model.degraded, trans);
    body.node.appendChild(text);

    const open = Dialog.okButton({
      label: trans.__('Open'),
      caption: trans.__('Open the shared server in a new browser tab')
    });
    const start = Dialog.okButton({
      label: trans.__('Start'),
      caption: trans.__('Start the shared server (on the hub)')
    });
    const stop = Dialog.warnButton({
      label: trans.__('Stop'),
      caption: trans.__('Stop the shared server for everyone')
    });
    const buttons: Dialog.IButton[] = [
      Dialog.cancelButton({ label: trans.__('Close') })
    ];
    if (c.status === 'stopped') {
      buttons.push(start);
    } else if (c.status === 'running') {
      buttons.push(stop, open);
    } else {
      buttons.push(open);
    }
    const result = await showDialog({
      title: trans.__('Project %1', c.group),
      body,
      buttons
    });
    const label = result.button.label;
    if (!result.button.accept) {
      return;
    }
    if (label === open.label) {
      window.open(urls.open, '_blank', 'noopener');
    } else if (label === start.label) {
      // The hub's own spawn page: its progress and errors are what users see.
      window.open(urls.start, '_blank', 'noopener');
    } else if (label === stop.label) {
      try {
        await model.stop(c.account);
      } catch (reason) {
        console.error('jupyterlab-hub-groups: stop failed', reason);
        await showErrorMessage(
          trans.__('Cannot stop the shared server of %1', c.group),
          (reason as Error).message
        );
      }
    }
  }
}
