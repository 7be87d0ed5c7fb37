import { nullTranslator } from '@jupyterlab/translation';

import { HubGroupsError } from '../../common/request';
import { errorMessage } from '../../common/wording';
import { projectError } from '../../projects/text';

const trans = nullTranslator.load('jupyterlab_hub_groups');
const said = (code: string, status = 400, users: string[] = []) =>
  projectError(new HubGroupsError(status, code, 'English'), trans, users);

describe('projectError', () => {
  it("words each of the service's refusals once, never its English sentence", () => {
    const codes = [
      'not-allowed',
      'too-many-projects',
      'name-taken',
      'invalid-name',
      'unknown-users',
      'not-the-creator',
      'creator-stays',
      'no-such-project',
      'not-a-member',
      'not-your-group',
      'collaboration-account'
    ];
    const sentences = codes.map(code => said(code));
    expect(new Set(sentences).size).toBe(codes.length);
    for (const sentence of sentences) {
      expect(sentence).not.toContain('English');
      expect(sentence).not.toMatch(/request failed/);
    }
  });

  it('names the people a refusal is about', () => {
    expect(said('unknown-users', 400, ['bob', 'eve'])).toBe(
      'There is no such user: bob, eve.'
    );
  });

  it("leaves the package's own codes to errorMessage", () => {
    for (const code of ['rate-limited', 'unavailable', 'no-access', 'odd']) {
      const e = new HubGroupsError(403, code);
      expect(projectError(e, trans)).toBe(errorMessage(e, trans));
    }
    expect(projectError(new TypeError('offline'), trans)).toBe(
      errorMessage(new TypeError('offline'), trans)
    );
  });
});
