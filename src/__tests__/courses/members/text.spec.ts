import { Gettext, nullTranslator } from '@jupyterlab/translation';

import { HubGroupsError } from '../../../common/request';
import {
  closedText,
  errorText,
  previewSummary,
  resultSummary,
  statusText,
  undoLabel
} from '../../../courses/members/text';
import { nameList } from '../../../courses/text';
import { FRENCH, JAPANESE, translated } from '../fakebundle';

const trans = nullTranslator.load('jupyterlab_hub_groups');
const G = 'Class1234_Semester02';

const fr = translated('fr', FRENCH, {
  '%1: %2': ['%1 : %2'],
  '%2 and %1 more': ['%2 et %1 autre', '%2 et %1 autres']
});
const ja = translated('ja', JAPANESE, { '%1, %2': ['%1、%2'] });

describe('course panel sentences', () => {
  it('list names: all of them, or the first ones and how many more', () => {
    expect(nameList([], trans)).toBe('');
    expect(nameList(['a'], trans)).toBe('a');
    expect(nameList(['a', 'b', 'c'], trans)).toBe('a, b, c');
    expect(nameList(['a', 'b', 'c'], trans, 3)).toBe('a, b, c');
    expect(nameList(['a', 'b', 'c', 'd'], trans, 3)).toBe('a, b, c and 1 more');
    expect(nameList(['a', 'b', 'c', 'd', 'e'], trans, 3)).toBe(
      'a, b, c and 2 more'
    );
  });

  it('let a language choose the separator, the word order and the plural', () => {
    expect(nameList(['a', 'b', 'c'], ja)).toBe('a、b、c');
    expect(nameList(['a', 'b', 'c', 'd'], fr, 2)).toBe('a, b et 2 autres');
    expect(nameList(['a', 'b', 'c'], fr, 2)).toBe('a, b et 1 autre');
    expect(
      errorText({ name: 'x', error: 'refused', message: 'No such user: x' }, fr)
    ).toBe('refused by JupyterHub : No such user: x');
  });

  it('say why a name was not changed', () => {
    expect(
      errorText(
        { name: 'x', error: 'refused', message: 'No such user: x' },
        trans
      )
    ).toBe('refused by JupyterHub: No such user: x');
    expect(errorText({ name: 'x', error: 'invalid', message: '' }, trans)).toBe(
      'invalid'
    );
    expect(
      errorText({ name: 'x', error: 'something-new', message: 'm' }, trans)
    ).toBe('something-new: m');
  });

  it('sum up a change, one name or many', () => {
    const add = { action: 'add' as const, unchanged: [], errors: [] };
    expect(resultSummary({ ...add, done: ['a'] }, 0, G, trans)).toBe(
      `Added a to ${G}.`
    );
    expect(
      resultSummary(
        { ...add, done: ['a', 'b'], unchanged: ['c', 'd'] },
        1,
        G,
        trans
      )
    ).toBe(`Added 2 people to ${G}. 2 were already members. 1 not added:`);
    expect(resultSummary({ ...add, done: [] }, 0, G, trans)).toBe(
      'Nothing changed.'
    );
    const remove = { action: 'remove' as const, errors: [] };
    expect(
      resultSummary({ ...remove, done: [], unchanged: ['z'] }, 0, G, trans)
    ).toBe('z was not a member.');
    expect(
      resultSummary({ ...remove, done: [], unchanged: [] }, 2, G, trans)
    ).toBe('Not removed:');
  });

  it('say what undo will do', () => {
    expect(undoLabel({ action: 'add', names: ['a'] }, trans)).toBe(
      'Undo: remove a again'
    );
    expect(undoLabel({ action: 'add', names: ['a', 'b'] }, trans)).toBe(
      'Undo: remove the 2 people added'
    );
    expect(undoLabel({ action: 'remove', names: ['a', 'b', 'c'] }, trans)).toBe(
      'Undo: add the 3 people back'
    );
  });

  it('say where the list stands', () => {
    expect(
      statusText({ status: 'loading', busy: false, error: null }, trans)
    ).toBe('Reading the members…');
    expect(
      statusText({ status: 'ready', busy: true, error: null }, trans)
    ).toBe('Saving…');
    expect(
      statusText(
        {
          status: 'stale',
          busy: false,
          error: new HubGroupsError(502, 'hub-timeout')
        },
        trans
      )
    ).toBe(
      'Could not refresh (JupyterHub did not answer in time. Try again later.); the list may be out of date.'
    );
    expect(
      statusText(
        {
          status: 'unavailable',
          busy: false,
          error: new HubGroupsError(0, 'unavailable')
        },
        trans
      )
    ).toBe(
      'Cannot read the members: The server could not be reached or did not answer. Try again later.'
    );
    // The notice says these.
    for (const status of ['refused', 'absent'] as const) {
      expect(statusText({ status, busy: false, error: null }, trans)).toBe('');
    }
  });

  it('say why the panel is closed, and only then', () => {
    expect(closedText({ status: 'refused', group: G }, trans)).toBe(
      `You may not manage the members of ${G} (JupyterHub decides who may).`
    );
    expect(closedText({ status: 'absent', group: G }, trans)).toBe(
      `JupyterHub has no group ${G}.`
    );
    for (const status of [
      'loading',
      'ready',
      'stale',
      'unavailable'
    ] as const) {
      expect(closedText({ status, group: G }, trans)).toBe('');
    }
    // Through the bundle, for a language pack to word.
    const marked = new Gettext({ stringsPrefix: '¶' });
    expect(closedText({ status: 'absent', group: G }, marked)).toMatch(/^¶/);
    expect(
      statusText({ status: 'unavailable', busy: false, error: null }, marked)
    ).toMatch(/^¶/);
  });

  it('count a preview, with duplicates', () => {
    expect(
      previewSummary(
        { new: ['a', 'b'], member: [], unknown: ['c'], invalid: [] },
        2,
        trans
      )
    ).toBe(
      'Preview: 2 new · 0 already members · 1 unknown user · 0 invalid · 2 duplicates left out'
    );
  });
});
