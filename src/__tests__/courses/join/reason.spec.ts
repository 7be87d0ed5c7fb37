/**
 * A decline's reason in what the student reads of their course: the
 * card's tooltip and the first paragraph of its dialog (join/text.ts).
 */
import { nullTranslator } from '@jupyterlab/translation';

import { IJoinable } from '../../../courses/join/model';
import { reasonOf, sentence } from '../../../courses/join/text';
import { FRENCH, translated } from '../fakebundle';

const trans = nullTranslator.load('jupyterlab_hub_groups');

function declined(reason: string | null | undefined): IJoinable {
  return {
    group: 'C',
    title: 'C',
    enrolment: 'request',
    state: 'declined',
    request: {
      state: 'declined',
      message: null,
      created: '2026-12-01T10:00:00+00:00',
      decided: '2026-12-01T11:00:00+00:00',
      reason
    }
  };
}

describe('a decline’s reason', () => {
  it('follows the sentence on the card and in the dialog, isolated', () => {
    const c = declined('Full.\nאנא נסו באביב');
    expect(sentence(c, trans, 'card')).toBe(
      'An instructor declined your request to join C; you may ask again Their reason: “\u2068Full.\nאנא נסו באביב\u2069”'
    );
    expect(sentence(c, trans, 'dialog')).toMatch(
      /You may ask again, perhaps saying more in your message\. Their reason: “\u2068Full\.\nאנא נסו באביב\u2069”$/
    );
  });

  it('is nothing when there is none, or only white space', () => {
    for (const reason of [null, undefined, '', '  \n ']) {
      expect(sentence(declined(reason), trans, 'card')).toBe(
        'An instructor declined your request to join C; you may ask again'
      );
    }
    expect(reasonOf(null, trans)).toBe('');
  });

  it('is said through the translation bundle', () => {
    const french = translated('fr', FRENCH, {
      'Their reason: “%1”': ['Leur raison : « %1 »']
    });
    expect(reasonOf({ reason: 'x' }, french)).toBe(
      ' Leur raison : « \u2068x\u2069 »'
    );
  });
});
