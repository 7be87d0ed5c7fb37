/**
 * The Course members panel's results: where they are shown, when they
 * go, the names that failed, and collaboration accounts (issue 19).
 * Beside panel.spec.ts, which is near the length a file may have.
 */
import { framePromise } from '@jupyterlab/testutils';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { CourseMembersModel } from '../../../courses/members/model';
import { namesFromText } from '../../../courses/members/names';
import { CourseMembersPanel } from '../../../courses/members/panel';
import { COURSE, FakeServer, waitFor } from '../fakeserver';

const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('CourseMembersPanel results', () => {
  let server: FakeServer;
  let model: CourseMembersModel;
  let panel: CourseMembersPanel;

  const $ = <T extends Element = HTMLElement>(selector: string): T =>
    panel.node.querySelector(selector) as T;
  const $$ = (selector: string) =>
    Array.from(panel.node.querySelectorAll<HTMLElement>(selector));
  const errors = () => $$('.jp-HubGroupsCourse-error').map(e => e.textContent);
  const message = () => $('.jp-HubGroupsCourse-message').textContent;
  const names = () => $<HTMLTextAreaElement>('.jp-HubGroupsCourse-names');
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    await framePromise();
  };

  beforeEach(async () => {
    server = new FakeServer();
    server.users.push('bob', 'vox-collab');
    model = new CourseMembersModel({
      serverSettings: server.settings(),
      group: COURSE
    });
    panel = new CourseMembersPanel({
      model,
      trans,
      confirm: async () => true,
      showError: async () => undefined
    });
    Widget.attach(panel, document.body);
    await waitFor(() => server.requests.length > 0, 'the first read');
    await model.refresh();
    await settle();
  });

  afterEach(() => {
    panel.dispose();
    model.dispose();
  });

  it('shows the result and its undo right above the members list, not under "Add many"', () => {
    const result = $('.jp-HubGroupsCourse-result');
    const list = $('.jp-HubGroupsCourse-members');
    expect(result.nextElementSibling).toBe(list);
    expect(result.parentElement).toBe(list.parentElement);
    expect(
      result.parentElement!.contains($('.jp-HubGroupsCourse-addMany'))
    ).toBe(false);
    expect(result.contains($('.jp-HubGroupsCourse-undo'))).toBe(true);
  });

  it('clears the last result when a new action starts', async () => {
    names().value = 'bob nobody';
    await panel.preview(namesFromText(names().value));
    $<HTMLButtonElement>('.jp-HubGroupsCourse-apply').click();
    await settle();
    expect(message()).toBe(`Added bob to ${COURSE}. 1 not added:`);
    expect(errors()).toHaveLength(1);

    // A preview is a new action: the add's lines go at once.
    const previewed = panel.preview(namesFromText('mmuster2'));
    expect(message()).toBe('');
    expect(errors()).toEqual([]);
    expect($('.jp-HubGroupsCourse-errors').hidden).toBe(true);
    await previewed;

    // So is a removal, while it is on its way.
    let release!: () => void;
    server.holds.push(new Promise<void>(resolve => (release = resolve)));
    const row = $$('.jp-HubGroupsCourse-member').find(
      r => r.querySelector('.jp-HubGroupsCourse-name')!.textContent === 'bob'
    )!;
    row.querySelector('button')!.click();
    await waitFor(() => model.busy, 'the removal to start');
    expect(message()).toBe('');
    release();
    await waitFor(() => !model.busy, 'the removal');
    await settle();
    expect(message()).toBe(`Removed bob from ${COURSE}.`);
  });

  it('says why each name failed and keeps the failed names in the box, to be fixed', async () => {
    names().value = 'bob, nobody, a/b, vox-collab';
    $<HTMLButtonElement>('.jp-HubGroupsCourse-addMany button').click();
    await settle();
    const rows = $$('.jp-HubGroupsCourse-previewRow').map(row =>
      Array.from(row.children).map(cell => cell.textContent)
    );
    expect(rows).toEqual([
      ['nobody', 'unknown user'],
      ['a/b', "invalid: A user name cannot contain '/'."],
      ['vox-collab', 'a project’s collaboration account, not a person'],
      ['bob', 'new']
    ]);
    // Only people are offered: the account is not counted in.
    expect($('.jp-HubGroupsCourse-apply').textContent).toBe('Add 1 person');

    $<HTMLButtonElement>('.jp-HubGroupsCourse-apply').click();
    await settle();
    expect(server.members).toEqual(['alice', 'mmuster', 'bob']);
    expect(errors()).toEqual([
      "a/binvalid: A user name cannot contain '/'.",
      'vox-collaba project’s collaboration account, not a person',
      'nobodyunknown user: JupyterHub has no user nobody.'
    ]);
    expect(names().value).toBe('a/b\nvox-collab\nnobody');
    expect($('.jp-HubGroupsCourse-source').textContent).toBe(
      'The 3 names not added are left here, to be fixed.'
    );
    // Edited: the note goes with the preview it was about.
    names().value = 'a-b';
    names().dispatchEvent(new Event('input'));
    expect($('.jp-HubGroupsCourse-source').textContent).toBe('');
  });

  it('empties the box when every name was added', async () => {
    names().value = 'bob';
    await panel.preview(namesFromText(names().value));
    $<HTMLButtonElement>('.jp-HubGroupsCourse-apply').click();
    await settle();
    expect(names().value).toBe('');
    expect($('.jp-HubGroupsCourse-source').textContent).toBe('');
  });
});
