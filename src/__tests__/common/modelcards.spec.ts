import { ILauncher } from '@jupyterlab/launcher';
import { DisposableDelegate } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';

import { ModelCards } from '../../common/modelcards';

/**
 * A launcher that records what is in it, and every add.
 */
class FakeLauncher {
  items: ILauncher.IItemOptions[] = [];
  adds = 0;
  add(item: ILauncher.IItemOptions): DisposableDelegate {
    this.adds++;
    this.items.push(item);
    return new DisposableDelegate(() => {
      this.items.splice(this.items.indexOf(item), 1);
    });
  }
  get labels(): unknown[] {
    return this.items.map(item => item.args?.id);
  }
}

/**
 * A model of projects and their states.
 */
class Projects {
  projects: Array<{ id: string; state: string; rank?: number }> = [];
  changed = new Signal<this, void>(this);
  set(projects: Projects['projects']): void {
    this.projects = projects;
    this.changed.emit();
  }
}

describe('ModelCards', () => {
  let launcher: FakeLauncher;
  let model: Projects;
  let cards: ModelCards<Projects>;

  beforeEach(() => {
    launcher = new FakeLauncher();
    model = new Projects();
    model.projects = [{ id: 'vox', state: 'running' }];
    cards = new ModelCards({
      model,
      launcher,
      cards: m =>
        m.projects.map(p => ({
          key: p.id,
          item: {
            command: 'open',
            args: { id: p.id },
            category: 'Projects',
            rank: p.rank ?? 0
          },
          version: p.state
        }))
    });
  });

  afterEach(() => cards.dispose());

  it('adds the cards the model says at once', () => {
    expect(launcher.labels).toEqual(['vox']);
    expect(cards.keys).toEqual(['vox']);
  });

  it('adds and removes cards as the model changes, leaving the others', () => {
    model.set([
      { id: 'vox', state: 'running' },
      { id: 'mighty', state: 'stopped' }
    ]);
    expect(launcher.labels).toEqual(['vox', 'mighty']);
    expect(launcher.adds).toBe(2);
    model.set([{ id: 'mighty', state: 'stopped' }]);
    expect(launcher.labels).toEqual(['mighty']);
    expect(launcher.adds).toBe(2);
    expect(cards.keys).toEqual(['mighty']);
  });

  it('adds a card again when its version or its item changes, only then', () => {
    model.set([{ id: 'vox', state: 'running' }]);
    expect(launcher.adds).toBe(1);
    model.set([{ id: 'vox', state: 'stopped' }]);
    expect(launcher.adds).toBe(2);
    model.set([{ id: 'vox', state: 'stopped', rank: 3 }]);
    expect(launcher.adds).toBe(3);
    expect(launcher.items).toHaveLength(1);
    expect(launcher.items[0].rank).toBe(3);
  });

  it('follows more than the model when asked to update', () => {
    model.projects = [];
    expect(launcher.items).toHaveLength(1);
    cards.update();
    expect(launcher.items).toHaveLength(0);
  });

  it('removes every card and stops following when disposed', () => {
    cards.dispose();
    cards.dispose();
    expect(cards.isDisposed).toBe(true);
    expect(launcher.items).toHaveLength(0);
    model.set([{ id: 'mighty', state: 'stopped' }]);
    cards.update();
    expect(launcher.items).toHaveLength(0);
  });
});
