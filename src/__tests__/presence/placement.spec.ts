import { JupyterFrontEnd } from '@jupyterlab/application';
import { nullTranslator } from '@jupyterlab/translation';
import { SidePanel, usersIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { AccordionPanel, Panel, Widget } from '@lumino/widgets';

import { PresenceModel } from '../../presence/model';
import {
  COLLABORATION_PANEL_ID,
  PEOPLE_HERE_ID,
  peopleHereIcon,
  PeopleHerePlacement
} from '../../presence/placement';

const trans = nullTranslator.load('jupyterlab_hub_groups');

/** A presence model whose answer the test sets. */
class FakePresence {
  status: PresenceModel['status'] = 'loading';
  worthShowing = false;
  me: string | null = 'vex';
  people: PresenceModel['people'] = [];
  changed = new Signal<this, void>(this);
  answer(status: PresenceModel['status'], ...names: string[]): void {
    this.status = status;
    this.people = names.map(name => ({
      name,
      displayName: name,
      current: null,
      lastSeen: new Date()
    }));
    this.worthShowing = status === 'ready' && names.length > 1;
    this.changed.emit();
  }
}

/** A shell with a left and a right area, as JupyterLab's. */
function fakeShell(left: Widget[] = []) {
  const areas = { left: new Panel(), right: new Panel() };
  left.forEach(widget => areas.left.addWidget(widget));
  const shell = {
    widgets: (area: 'left' | 'right') => areas[area].widgets[Symbol.iterator](),
    add: jest.fn((widget: Widget, area: 'left' | 'right') =>
      areas[area].addWidget(widget)
    ),
    activateById: jest.fn()
  };
  return { shell, areas };
}

/** jupyter-collaboration's panel, as its rtcPanel plugin makes it. */
function collaborationPanel(): SidePanel {
  const panel = new SidePanel({ alignment: 'justify' });
  panel.id = COLLABORATION_PANEL_ID;
  panel.title.icon = usersIcon;
  for (const label of ['User info', 'Online Collaborators']) {
    const section = new Widget();
    section.title.label = label;
    panel.addWidget(section);
  }
  return panel;
}

function titles(panel: SidePanel): string[] {
  return (panel.content as AccordionPanel).titles.map(
    title => title.textContent ?? ''
  );
}

describe('PeopleHerePlacement', () => {
  let model: FakePresence;
  let placement: PeopleHerePlacement | null;

  beforeEach(() => {
    model = new FakePresence();
    placement = null;
  });

  afterEach(() => placement?.dispose());

  function place(shell: ReturnType<typeof fakeShell>['shell']) {
    placement = new PeopleHerePlacement({
      model: model as unknown as PresenceModel,
      shell: shell as unknown as JupyterFrontEnd.IShell,
      trans
    });
    return placement;
  }

  describe("with jupyter-collaboration's panel", () => {
    it('adds the list as a section of that panel, and no panel of its own', () => {
      const theirs = collaborationPanel();
      const { shell } = fakeShell([theirs]);
      const { list } = place(shell);
      expect(placement!.host).toBe('collaboration');
      expect(list.parent).toBeNull();

      model.answer('ready', 'vex', 'vax');
      expect(theirs.widgets).toContain(list);
      expect(titles(theirs)).toEqual([
        'User info',
        'Online Collaborators',
        'People here (JupyterHub)'
      ]);
      expect(shell.add).not.toHaveBeenCalled();
      // The section title names the list: no second heading inside.
      expect(list.node.querySelector('h2')).toBeNull();
      expect(
        Array.from(list.node.querySelectorAll('li')).map(li => li.dataset.user)
      ).toEqual(['vex', 'vax']);
      expect(list.id).toBe(PEOPLE_HERE_ID);
    });

    it('takes the section away on a 403, and back when allowed again', () => {
      const theirs = collaborationPanel();
      const { shell } = fakeShell([theirs]);
      const { list } = place(shell);
      model.answer('ready', 'vex', 'vax');
      model.answer('refused');
      expect(list.parent).toBeNull();
      expect(titles(theirs)).toEqual(['User info', 'Online Collaborators']);
      model.answer('ready', 'vex', 'vax');
      expect(titles(theirs)).toHaveLength(3);
    });

    it('never adds the section for someone the server refuses', () => {
      const theirs = collaborationPanel();
      const { shell } = fakeShell([theirs]);
      place(shell);
      model.answer('refused');
      expect(titles(theirs)).toEqual(['User info', 'Online Collaborators']);
    });

    it('reveals the list by opening their panel and expanding the section', () => {
      const theirs = collaborationPanel();
      const { shell } = fakeShell([theirs]);
      const { list } = place(shell);
      model.answer('ready', 'vex', 'vax');
      const accordion = theirs.content as AccordionPanel;
      accordion.collapse(2);
      expect(list.isHidden).toBe(true);
      placement!.reveal();
      expect(shell.activateById).toHaveBeenCalledWith(COLLABORATION_PANEL_ID);
      expect(list.isHidden).toBe(false);
    });
  });

  describe('without it (a personal server)', () => {
    it('adds its own side panel with an icon of its own, once someone else is here', () => {
      const { shell, areas } = fakeShell();
      const { list } = place(shell);
      expect(placement!.host).toBe('own');
      model.answer('ready', 'vex');
      expect(shell.add).not.toHaveBeenCalled();

      model.answer('ready', 'vex', 'vax');
      expect(shell.add).toHaveBeenCalledTimes(1);
      expect(areas.left.widgets).toContain(list);
      expect(list.title.icon).toBe(peopleHereIcon);
      expect(list.title.icon).not.toBe(usersIcon);
      expect(list.title.caption).toBe('People here (JupyterHub)');
      expect(list.node.querySelector('h2')!.textContent).toBe('People here');

      placement!.reveal();
      expect(shell.activateById).toHaveBeenCalledWith(PEOPLE_HERE_ID);

      model.answer('refused');
      expect(areas.left.widgets).not.toContain(list);
    });

    it('takes the list with it when disposed, once', () => {
      const { shell, areas } = fakeShell();
      const { list } = place(shell);
      model.answer('ready', 'vex', 'vax');
      placement!.dispose();
      placement!.dispose();
      expect(list.isDisposed).toBe(true);
      expect(areas.left.widgets).toHaveLength(0);
      // No longer follows the model.
      model.answer('ready', 'vex', 'vax');
      expect(shell.add).toHaveBeenCalledTimes(1);
    });
  });
});
