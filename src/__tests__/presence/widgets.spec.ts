import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { PresenceModel } from '../../presence/model';
import { PeopleHereCount, PeopleHerePanel } from '../../presence/widgets';

const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('PeopleHerePanel', () => {
  it('renders names with markup as text, and marks the user', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const model = {
      people: [
        {
          name: 'vex',
          displayName: hostile,
          current: '<b>doc</b>.ipynb',
          lastSeen: new Date()
        },
        { name: 'vax', displayName: 'vax', current: null, lastSeen: new Date() }
      ],
      me: 'vax',
      state: 'allowed',
      changed: { connect: () => undefined, disconnect: () => undefined }
    } as unknown as PresenceModel;
    const panel = new PeopleHerePanel(model, trans);
    Widget.attach(panel, document.body);
    const items = panel.node.querySelectorAll('.jp-HubGroupsPresence-person');
    expect(items).toHaveLength(2);
    expect(
      items[0].querySelector('.jp-HubGroupsPresence-name')!.textContent
    ).toBe(`${hostile} (vex)`);
    expect(items[0].textContent).toContain('<b>doc</b>.ipynb');
    expect(items[1].textContent).toContain('vax (you)');
    expect(panel.node.querySelector('img, b')).toBeNull();
    const count = new PeopleHereCount(model, trans);
    expect(count.node.textContent).toBe('2 people here');
    panel.dispose();
    count.dispose();
  });
});
