import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import { HubGroupsError } from '../../common/request';
import { errorMessage } from '../../common/wording';

/**
 * A bundle that marks what went through it: «text», plural forms too.
 */
function marking(): TranslationBundle & { seen: string[] } {
  const english = nullTranslator.load('jupyterlab_hub_groups');
  const seen: string[] = [];
  return {
    ...english,
    seen,
    __: (msgid: string, ...args: any[]) => {
      seen.push(msgid);
      return `«${english.__(msgid, ...args)}»`;
    },
    _n: (one: string, many: string, n: number, ...args: any[]) => {
      seen.push(one);
      return `«${english._n(one, many, n, ...args)}»`;
    }
  } as any;
}

const CODES = [
  'unavailable',
  'absent',
  'refused',
  'bad-answer',
  'hub-unreachable',
  'hub-timeout',
  'hub-error',
  'hub-bad-response',
  'hub-redirect',
  'hub-refused',
  'no-token',
  'not-authenticated',
  'identity-mismatch',
  'not-a-member',
  'not-a-manager',
  'no-such-group',
  'unknown-user',
  'bad-account',
  'invalid',
  'invalid-name',
  'bad-request',
  'unknown-action',
  'no-access',
  'users-only',
  'closed',
  'no-pending-request',
  'rate-limited'
];

describe('errorMessage', () => {
  it.each(CODES)(
    'words %s through the translator, never with the server’s sentence',
    code => {
      const trans = marking();
      const text = errorMessage(
        new HubGroupsError(400, code, 'SERVER SENTENCE'),
        trans
      );
      expect(text).toMatch(/^«.+»$/);
      expect(text).not.toContain('SERVER SENTENCE');
      // Its own sentence: not the one for codes not known here.
      expect(text).not.toContain('The request failed:');
    }
  );

  it('gives each known code a sentence of its own (but aliases)', () => {
    const trans = nullTranslator.load('jupyterlab_hub_groups');
    const sentences = new Set(
      CODES.map(code => errorMessage(new HubGroupsError(400, code), trans))
    );
    // hub-error, hub-bad-response and hub-redirect say one thing, as do
    // no-token and not-authenticated, invalid and invalid-name,
    // bad-request and unknown-action.
    expect(sentences.size).toBe(CODES.length - 5);
  });

  it('names a code not known here, with its status', () => {
    const trans = marking();
    const text = errorMessage(new HubGroupsError(409, 'teapot-full'), trans);
    expect(text).toBe('«The request failed: teapot-full (HTTP 409).»');
  });

  it('knows no code from what every object has', () => {
    const trans = marking();
    expect(errorMessage(new HubGroupsError(400, 'constructor'), trans)).toBe(
      '«The request failed: constructor (HTTP 400).»'
    );
  });

  it('says a code not known here that came with a 5xx is a failure to answer', () => {
    const trans = marking();
    const text = errorMessage(new HubGroupsError(503, 'hub-melted'), trans);
    expect(text).toContain('could not be reached or did not answer');
    expect(text).toContain('hub-melted');
  });

  it('words anything thrown as no answer', () => {
    const trans = marking();
    expect(errorMessage(new TypeError('Failed to fetch'), trans)).toBe(
      '«The server could not be reached or did not answer. Try again later.»'
    );
  });

  it('says how long to wait when the service said', () => {
    const trans = marking();
    expect(
      errorMessage(new HubGroupsError(429, 'rate-limited', null, 30), trans)
    ).toBe('«Too many requests: try again in «30 seconds».»');
    expect(
      errorMessage(new HubGroupsError(429, 'rate-limited', null, 90), trans)
    ).toBe('«Too many requests: try again in «2 minutes».»');
    expect(errorMessage(new HubGroupsError(429, 'rate-limited'), trans)).toBe(
      '«Too many requests: try again later.»'
    );
  });
});
