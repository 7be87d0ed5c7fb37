import { Gettext, nullTranslator } from '@jupyterlab/translation';
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
      status: 'ready',
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

  it('says everything through the translation bundle', () => {
    // Every translated string comes out marked.
    const marked = new Gettext({ stringsPrefix: '¶' });
    const model = {
      people: [
        {
          name: 'vex',
          displayName: 'Vex',
          current: 'notes.ipynb',
          lastSeen: new Date()
        },
        { name: 'vax', displayName: 'vax', current: null, lastSeen: new Date() }
      ],
      me: 'vax',
      status: 'stale',
      changed: { connect: () => undefined, disconnect: () => undefined }
    } as unknown as PresenceModel;
    const panel = new PeopleHerePanel(model, marked);
    const text = (selector: string) =>
      Array.from(panel.node.querySelectorAll(selector)).map(
        node => node.textContent
      );
    expect(text('h2')).toEqual(['¶People here']);
    expect(text('.jp-HubGroupsPresence-name')).toEqual([
      '¶Vex (vex)',
      '¶vax (you)'
    ]);
    for (const seen of text('.jp-HubGroupsPresence-seen')) {
      expect(seen).toMatch(/^¶active /);
    }
    expect(text('.jp-HubGroupsPresence-current')).toEqual(['notes.ipynb']);
    expect(text('.jp-HubGroupsPresence-error')[0]).toMatch(/^¶/);
    expect(panel.node.querySelector('ul')!.getAttribute('aria-label')).toMatch(
      /^¶/
    );
    const count = new PeopleHereCount(model, marked);
    expect(count.node.textContent).toBe('¶2 people here');
    panel.dispose();
    count.dispose();
  });

  it('leaves its heading to a section title that names the list', () => {
    const model = {
      people: [],
      me: null,
      status: 'ready',
      changed: { connect: () => undefined, disconnect: () => undefined }
    } as unknown as PresenceModel;
    const panel = new PeopleHerePanel(model, trans, { heading: false });
    expect(panel.node.querySelector('h2')).toBeNull();
    expect(panel.node.querySelector('ul')).not.toBeNull();
    panel.dispose();
  });
});
