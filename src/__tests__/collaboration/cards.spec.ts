import { Launcher, LauncherModel } from '@jupyterlab/launcher';
import { ServerConnection } from '@jupyterlab/services';
import { dismissDialog, framePromise } from '@jupyterlab/testing';
import {
  Gettext,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { CollaborationCards } from '../../collaboration/cards';
import { CollaborationsModel } from '../../collaboration/model';
import { FakeRequest, response } from '../fakes';

const COMMAND = 'hub-groups:open-collaboration';

/**
 * A translation bundle that translates a few strings (into German), to
 * show which strings go through it.
 */
function germanBundle(): TranslationBundle {
  const german: Record<string, string> = {
    'Project %1 · %2': 'Projekt %1 · %2',
    running: 'läuft',
    stopped: 'gestoppt',
    Collaboration: 'Zusammenarbeit'
  };
  const format = (text: string, args: any[]) =>
    args.reduce<string>(
      (out, arg, i) => out.replace(`%${i + 1}`, String(arg)),
      text
    );
  return {
    ...nullTranslator.load('jupyterlab_hub_groups'),
    __: (text: string, ...args: any[]) => format(german[text] ?? text, args)
  } as TranslationBundle;
}

describe('CollaborationCards', () => {
  let answers: Array<() => any>;
  let model: CollaborationsModel;
  let launcherModel: LauncherModel;
  let commands: CommandRegistry;
  let launcher: Launcher | null;
  let cards: CollaborationCards;
  const answer = (...projects: Array<[string, string]>) =>
    answers.push(() =>
      response(200, {
        collaborations: projects.map(([group, status]) => ({
          group,
          account: `${group}-collab`,
          status
        })),
        degraded: null
      })
    );

  function setUp(trans: TranslationBundle): void {
    answers = [];
    model = new CollaborationsModel({
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://localhost/user/vex/',
        fetch: (() => {
          const next = answers.shift();
          return next
            ? Promise.resolve(next())
            : Promise.reject(new TypeError('offline'));
        }) as any,
        Request: FakeRequest as any
      }),
      auto: false
    });
    launcherModel = new LauncherModel();
    commands = new CommandRegistry();
    cards = new CollaborationCards({
      model,
      launcher: launcherModel,
      command: COMMAND,
      trans,
      url: account => `/user/${account}/lab`
    });
    commands.addCommand(COMMAND, {
      label: args => cards.label(args),
      caption: args => cards.caption(args),
      icon: args => cards.icon(args),
      execute: () => undefined
    });
    launcher = null;
  }

  /** The real launcher's cards, once React has drawn `count` of them. */
  async function drawn(count: number): Promise<HTMLElement[]> {
    if (!launcher) {
      launcher = new Launcher({
        model: launcherModel,
        cwd: '',
        callback: () => undefined,
        commands,
        translator: nullTranslator
      });
      Widget.attach(launcher, document.body);
    }
    const found = () =>
      Array.from(
        launcher!.node.querySelectorAll<HTMLElement>('.jp-LauncherCard')
      );
    for (let frame = 0; frame < 100 && found().length !== count; frame++) {
      await framePromise();
    }
    return found();
  }

  /** Wait until the card reads `text` (React redraws in the background). */
  async function label(card: () => HTMLElement, text: string): Promise<void> {
    for (let frame = 0; frame < 100 && card().textContent !== text; frame++) {
      await framePromise();
    }
    expect(card().textContent).toBe(text);
  }

  afterEach(() => {
    launcher?.dispose();
    cards.dispose();
    model.dispose();
  });

  it('labels a card as the project with its state, and badges its icon', async () => {
    setUp(nullTranslator.load('jupyterlab_hub_groups'));
    answer(['vox', 'stopped']);
    await model.refresh();
    const [card] = await drawn(1);
    expect(card.querySelector('.jp-LauncherCard-label p')!.textContent).toBe(
      'Project vox · stopped'
    );
    expect(card.title).toBe(
      'Shared server of project vox (vox-collab): stopped'
    );
    const badge = card.querySelector('.jp-LauncherCard-icon > div')!;
    expect(badge.classList).toContain('jp-HubGroupsCollaboration-status');
    expect(badge.classList).toContain('jp-mod-stopped');
    expect(
      badge.querySelector('svg[data-icon="ui-components:users"]')
    ).not.toBeNull();
    // Keyboard: JupyterLab's card is a focusable button.
    expect(card.getAttribute('role')).toBe('button');
    expect(card.tabIndex).toBe(0);
  });

  it('follows the state live: label and badge change, one card per project', async () => {
    setUp(nullTranslator.load('jupyterlab_hub_groups'));
    const added = jest.spyOn(launcherModel, 'add');
    answer(['vox', 'stopped']);
    await model.refresh();
    await drawn(1);
    const card = () =>
      launcher!.node.querySelector<HTMLElement>('.jp-LauncherCard')!;
    for (const state of ['starting', 'running', 'stopping', 'unknown']) {
      answer(['vox', state]);
      await model.refresh();
      const text =
        state === 'unknown'
          ? 'Project vox · status unknown'
          : `Project vox · ${state}`;
      await label(card, text);
      expect(await drawn(1)).toHaveLength(1);
      expect(card().querySelector(`.jp-mod-${state}`)).not.toBeNull();
    }
    // The same state again: the card is not added again.
    const before = added.mock.calls.length;
    answer(['vox', 'unknown']);
    await model.refresh();
    expect(added.mock.calls.length).toBe(before);
    // A second project joins, the first goes.
    answer(['mighty', 'running']);
    await model.refresh();
    await label(card, 'Project mighty · running');
    expect(await drawn(1)).toHaveLength(1);
    expect(Array.from(launcherModel.items()).map(i => i.args)).toEqual([
      { account: 'mighty-collab' }
    ]);
    added.mockRestore();
  });

  it('says everything on the card through the translation bundle', async () => {
    setUp(germanBundle());
    answer(['vox', 'running']);
    await model.refresh();
    const [card] = await drawn(1);
    expect(card.textContent).toBe('Projekt vox · läuft');
    expect(card.dataset.category).toBe('Zusammenarbeit');
  });

  it('says the tooltip and the dialog through the translation bundle', async () => {
    // Every translated string comes out marked.
    setUp(new Gettext({ stringsPrefix: '¶' }));
    answer(['vox', 'running']);
    await model.refresh();
    const [card] = await drawn(1);
    expect(card.title).toBe(
      '¶Shared server of project vox (vox-collab): ¶running'
    );
    answer(['vox', 'running']);
    const opened = cards.open({ account: 'vox-collab' });
    for (
      let frame = 0;
      // (the header is drawn by React, after the dialog is in the page)
      frame < 100 &&
      !document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent;
      frame++
    ) {
      await framePromise();
    }
    const dialog = document.querySelector('.jp-Dialog')!;
    expect(dialog.querySelector('.jp-Dialog-header')!.textContent).toBe(
      '¶Project vox'
    );
    const buttons = Array.from(dialog.querySelectorAll('button'))
      .map(button => button.textContent)
      .filter(text => text);
    expect(buttons.length).toBeGreaterThan(0);
    for (const text of buttons) {
      expect(text).toMatch(/^¶/);
    }
    await dismissDialog();
    await opened;
  });

  it('says why a stop failed in its own words, not the server’s', async () => {
    setUp(nullTranslator.load('jupyterlab_hub_groups'));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    answer(['vox', 'running']);
    await model.refresh();
    answer(['vox', 'running']); // the dialog's refresh
    answers.push(() =>
      response(403, { error: 'not-a-member', message: 'SERVER SENTENCE' })
    );
    const dialog = async (): Promise<Element> => {
      for (
        let frame = 0;
        frame < 100 &&
        !document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent;
        frame++
      ) {
        await framePromise();
      }
      return document.querySelector('.jp-Dialog')!;
    };
    const opened = cards.open({ account: 'vox-collab' });
    const stop = Array.from((await dialog()).querySelectorAll('button')).find(
      button => button.textContent === 'Stop'
    )!;
    stop.click();
    for (let frame = 0; frame < 100; frame++) {
      const body = document.querySelector('.jp-Dialog-body');
      if (body?.textContent?.includes('group')) {
        break;
      }
      await framePromise();
    }
    const error = await dialog();
    expect(error.querySelector('.jp-Dialog-header')!.textContent).toBe(
      'Cannot stop the shared server of vox'
    );
    expect(error.querySelector('.jp-Dialog-body')!.textContent).toBe(
      'You are not in the group this belongs to.'
    );
    await dismissDialog();
    await opened;
  });

  it('keeps names with markup as text', async () => {
    setUp(nullTranslator.load('jupyterlab_hub_groups'));
    const hostile = '<img src=x onerror="window.__pwned=1">';
    answer([hostile, 'running']);
    await model.refresh();
    const [card] = await drawn(1);
    expect(card.textContent).toBe(`Project ${hostile} · running`);
    expect(launcher!.node.querySelector('img')).toBeNull();
  });

  it('removes its cards when disposed, once', async () => {
    setUp(nullTranslator.load('jupyterlab_hub_groups'));
    answer(['vox', 'running'], ['mighty', 'stopped']);
    await model.refresh();
    expect(Array.from(launcherModel.items())).toHaveLength(2);
    cards.dispose();
    cards.dispose();
    expect(cards.isDisposed).toBe(true);
    expect(Array.from(launcherModel.items())).toHaveLength(0);
  });
});
