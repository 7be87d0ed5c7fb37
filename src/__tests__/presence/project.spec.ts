import { JupyterFrontEnd } from '@jupyterlab/application';
import { Gettext, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { PresenceModel, readPresence } from '../../presence/model';
import { PeopleHerePlacement } from '../../presence/placement';
import { readProject, showProject } from '../../presence/project';

const trans = nullTranslator.load('jupyterlab_hub_groups');
const VOX = { group: 'vox', account: 'vox-collab' };

/** A shell with the areas the placement and the name use. */
function fakeShell() {
  const areas = { left: new Panel(), right: new Panel(), top: new Panel() };
  const shell = {
    widgets: (area: 'left' | 'right') => areas[area].widgets[Symbol.iterator](),
    add: jest.fn((widget: Widget, area: 'left' | 'right' | 'top') =>
      areas[area].addWidget(widget)
    ),
    activateById: jest.fn()
  };
  return { shell: shell as unknown as JupyterFrontEnd.IShell, areas };
}

describe('readProject', () => {
  it('takes a project the presence answer names, and nothing else', () => {
    expect(readProject(VOX)).toEqual(VOX);
    expect(readProject({ ...VOX, extra: '<b>' })).toEqual(VOX);
    for (const value of [null, undefined, 'vox', { group: 'vox' }, []]) {
      expect(readProject(value)).toBeNull();
    }
  });

  it('comes through the presence model as sent, read where shown', () => {
    const body = { people: [], me: 'vex', shared: true, project: VOX };
    expect(readPresence(body).project).toEqual(VOX);
    expect(readPresence({ ...body, project: null }).project).toBeNull();
  });
});

describe('showProject', () => {
  it('names the project in the top bar, the account in its tooltip: a button that shows who is here', () => {
    const { shell, areas } = fakeShell();
    const reveal = jest.fn();
    const name = showProject(shell, VOX, trans, reveal)!;
    expect(areas.top.widgets).toContain(name);
    expect(shell.add).toHaveBeenCalledWith(name, 'top', { rank: 850 });
    const node = name.node as HTMLButtonElement;
    expect(node.tagName).toBe('BUTTON'); // focusable, Enter and Space click
    expect(node.textContent).toBe('Project vox');
    expect(node.title).toContain('vox-collab');
    node.click();
    expect(reveal).toHaveBeenCalledTimes(1);
    name.dispose();
    expect(areas.top.widgets).not.toContain(name);
  });

  it('says it through the translation bundle, names as text', () => {
    const { shell } = fakeShell();
    const marked = new Gettext({ stringsPrefix: '¶' });
    const project = { group: '<img src=x>', account: 'a-collab' };
    const name = showProject(shell, project, marked, () => undefined)!;
    expect(name.node.textContent).toBe('¶Project <img src=x>');
    expect(name.node.title).toMatch(/^¶/);
    expect(name.node.querySelector('img')).toBeNull();
    expect(name.node.dir).toBe('auto');
    name.dispose();
  });

  it('shows nothing where the answer names no project (a personal server)', () => {
    const { shell, areas } = fakeShell();
    expect(showProject(shell, null, trans, () => undefined)).toBeNull();
    expect(areas.top.widgets).toHaveLength(0);
  });
});

describe('PeopleHerePlacement and the project', () => {
  /** A presence model with one answer. */
  function model(project: unknown) {
    return {
      status: 'ready',
      worthShowing: true,
      me: 'vex',
      people: [],
      value: { people: [], me: 'vex', shared: true, project },
      changed: new Signal<unknown, void>({})
    } as unknown as PresenceModel;
  }

  /** Wait for the placement's `import()` of the name. */
  async function settled(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  }

  it("puts the project's name in the top bar on a collaboration account's server, and takes it away with it", async () => {
    const { shell, areas } = fakeShell();
    const placement = new PeopleHerePlacement({
      model: model(VOX),
      shell,
      trans
    });
    await settled();
    expect(areas.top.widgets.map(w => w.node.textContent)).toEqual([
      'Project vox'
    ]);
    (areas.top.widgets[0].node as HTMLElement).click();
    expect(shell.activateById).toHaveBeenCalled();
    placement.dispose();
    expect(areas.top.widgets).toHaveLength(0);
  });

  it('adds nothing to the top bar where the answer names no project', async () => {
    const { shell, areas } = fakeShell();
    const placement = new PeopleHerePlacement({
      model: model(null),
      shell,
      trans
    });
    await settled();
    expect(areas.top.widgets).toHaveLength(0);
    placement.dispose();
  });
});
