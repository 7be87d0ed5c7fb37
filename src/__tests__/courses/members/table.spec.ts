import { nullTranslator } from '@jupyterlab/translation';

import { MembersTable, previewTable } from '../../../courses/members/table';
import { FRENCH, translated } from '../fakebundle';

const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('MembersTable', () => {
  let removed: string[];
  let table: MembersTable;
  let host: HTMLElement;

  const rows = () =>
    Array.from(
      host.querySelectorAll<HTMLTableRowElement>('tr.jp-HubGroupsCourse-member')
    );
  const shown = () =>
    rows()
      .filter(row => !row.hidden)
      .map(row => row.cells[0].textContent);
  const count = () =>
    host.querySelector('.jp-HubGroupsCourse-count')!.textContent;
  const empty = () => {
    const node = host.querySelector<HTMLElement>('.jp-HubGroupsCourse-empty')!;
    return node.hidden ? null : node.textContent;
  };
  const removeButton = (name: string) =>
    rows()
      .find(row => row.cells[0].textContent === name)!
      .querySelector<HTMLButtonElement>('button.jp-HubGroupsCourse-remove')!;

  beforeEach(() => {
    removed = [];
    table = new MembersTable({
      id: 't1',
      labelledBy: 't1-members',
      trans,
      onRemove: name => removed.push(name)
    });
    host = document.createElement('div');
    host.append(...table.nodes);
    document.body.append(host);
  });

  afterEach(() => host.remove());

  it('says it is reading before the first answer, then that there are none', () => {
    table.update([], { busy: false, loading: true });
    expect(empty()).toBe('Reading the members…');
    table.update([], { busy: false, loading: false });
    expect(empty()).toBe('No members yet.');
    expect(count()).toBe('0 members');
  });

  it('shows one row per member, in order, names as text, named by its heading', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    table.update(['alice', hostile, 'bob'], { busy: false, loading: false });
    expect(shown()).toEqual(['alice', hostile, 'bob']);
    expect(host.querySelector('img')).toBeNull();
    expect(count()).toBe('3 members');
    expect(empty()).toBeNull();
    const element = host.querySelector('table')!;
    expect(element.getAttribute('aria-labelledby')).toBe('t1-members');
    expect(
      Array.from(element.querySelectorAll('th')).map(th => [
        th.textContent,
        th.scope
      ])
    ).toEqual([
      ['Name', 'col'],
      ['Actions', 'col']
    ]);
    expect(removeButton('bob').getAttribute('aria-label')).toBe('Remove bob');
  });

  it('keeps the rows of members who stay (same elements), adds and removes the others in order', () => {
    table.update(['alice', 'bob', 'dave'], { busy: false, loading: false });
    const [alice, bob] = rows();
    table.update(['alice', 'bob', 'carol'], { busy: false, loading: false });
    expect(shown()).toEqual(['alice', 'bob', 'carol']);
    expect(rows()[0]).toBe(alice);
    expect(rows()[1]).toBe(bob);
    table.update(['aaron', 'bob', 'carol'], { busy: false, loading: false });
    expect(shown()).toEqual(['aaron', 'bob', 'carol']);
    expect(rows()[1]).toBe(bob);
  });

  it('calls onRemove with the row’s name, and disables the buttons while busy', () => {
    table.update(['alice', 'bob'], { busy: false, loading: false });
    removeButton('bob').click();
    expect(removed).toEqual(['bob']);
    table.update(['alice', 'bob'], { busy: true, loading: false });
    expect(rows().map(r => r.querySelector('button')!.disabled)).toEqual([
      true,
      true
    ]);
    table.update(['alice', 'bob'], { busy: false, loading: false });
    expect(removeButton('alice').disabled).toBe(false);
  });

  it('filters by name, counts what is shown, and says when nothing matches', () => {
    table.update(['alice', 'bob', 'alfred'], { busy: false, loading: false });
    table.setFilter('al');
    expect(shown()).toEqual(['alice', 'alfred']);
    expect(count()).toBe('2 of 3 shown');
    table.setFilter('zed ');
    expect(shown()).toEqual([]);
    expect(empty()).toBe('No member matches "zed".');
    // A refresh keeps the filter.
    table.update(['alice', 'bob', 'zed'], { busy: false, loading: false });
    expect(shown()).toEqual(['zed']);
    // Typing filters too; Escape clears it.
    table.filter.value = 'bo';
    table.filter.dispatchEvent(new Event('input'));
    expect(shown()).toEqual(['bob']);
    table.filter.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
    );
    expect(table.filter.value).toBe('');
    expect(shown()).toEqual(['alice', 'bob', 'zed']);
  });

  it('gives the next visible row’s button as neighbour, or the one before for the last', () => {
    table.update(['a', 'b', 'c', 'd'], { busy: false, loading: false });
    expect(table.neighbour('a')).toBe(removeButton('b'));
    expect(table.neighbour('d')).toBe(removeButton('c'));
    table.setFilter('d');
    // Hidden rows are skipped: none after d, none shown before it.
    expect(table.neighbour('d')).toBeNull();
    table.setFilter('');
    expect(table.neighbour('nobody')).toBeNull();
  });

  it('moves the focus to the filter when the focused row goes', () => {
    table.update(['alice', 'bob'], { busy: false, loading: false });
    removeButton('bob').focus();
    expect(document.activeElement).toBe(removeButton('bob'));
    table.update(['alice'], { busy: false, loading: false });
    expect(document.activeElement).toBe(table.filter);
  });

  it('counts in the language’s plural', () => {
    const fr = translated('fr', FRENCH, {
      '%1 member': ['%1 membre', '%1 membres']
    });
    const french = new MembersTable({
      id: 't2',
      labelledBy: 'x',
      trans: fr,
      onRemove: () => undefined
    });
    french.update(['a'], { busy: false, loading: false });
    expect(french.nodes[0].textContent).toContain('1 membre');
    french.update(['a', 'b'], { busy: false, loading: false });
    expect(french.nodes[0].textContent).toContain('2 membres');
  });
});

describe('previewTable', () => {
  it('lists problems first, then new members, then members already, as text', () => {
    const table = previewTable(
      {
        new: ['carol'],
        member: ['alice'],
        unknown: ['nobody', '<b>x</b>'],
        invalid: ['bad name']
      },
      trans
    );
    const rows = Array.from(table.tBodies[0].rows).map(row => [
      row.cells[0].textContent,
      row.cells[1].textContent,
      row.className
    ]);
    expect(rows).toEqual([
      [
        'nobody',
        'unknown user',
        'jp-HubGroupsCourse-previewRow jp-mod-unknown'
      ],
      [
        '<b>x</b>',
        'unknown user',
        'jp-HubGroupsCourse-previewRow jp-mod-unknown'
      ],
      ['bad name', 'invalid', 'jp-HubGroupsCourse-previewRow jp-mod-invalid'],
      ['carol', 'new', 'jp-HubGroupsCourse-previewRow jp-mod-new'],
      [
        'alice',
        'already a member',
        'jp-HubGroupsCourse-previewRow jp-mod-member'
      ]
    ]);
    expect(table.querySelector('b')).toBeNull();
    expect(table.getAttribute('aria-label')).toBe('Preview');
  });

  it('is empty for an empty preview', () => {
    const table = previewTable(
      { new: [], member: [], unknown: [], invalid: [] },
      trans
    );
    expect(table.tBodies[0].rows).toHaveLength(0);
  });
});
