import { nullTranslator } from '@jupyterlab/translation';

import { caption } from '../../collaboration/text';

const trans = nullTranslator.load('jupyterlab-hub-groups');
const vox = (status: 'running' | 'unknown') => ({
  group: 'vox',
  account: 'vox-collab',
  status
});

describe('caption', () => {
  it('words why a state is unknown from its code, never the server sentence', () => {
    const text = caption(
      vox('unknown'),
      { code: 'server-token-scopes', message: 'SERVER SENTENCE' },
      trans
    );
    expect(text).toContain('Shared server of project vox (vox-collab)');
    expect(text).toContain("may not see the shared servers' state");
    expect(text).not.toContain('SERVER SENTENCE');
    expect(
      caption(vox('unknown'), { code: 'hub-timeout', message: 'x' }, trans)
    ).toContain('JupyterHub did not answer in time');
  });

  it('says nothing of it for a state that is known', () => {
    expect(
      caption(
        vox('running'),
        { code: 'server-token-scopes', message: 'x' },
        trans
      )
    ).toBe('Shared server of project vox (vox-collab): running');
  });
});
