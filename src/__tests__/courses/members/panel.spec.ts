import { framePromise } from '@jupyterlab/testutils';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { errorMessage } from '../../../common/wording';
import { CourseMembersModel } from '../../../courses/members/model';
import { namesFromText } from '../../../courses/members/names';
import { CourseMembersPanel } from '../../../courses/members/panel';
import { COURSE, FakeServer, waitFor } from '../fakeserver';

const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('CourseMembersPanel', () => {
  let server: FakeServer;
  let model: CourseMembersModel;
  let panel: CourseMembersPanel;
  let questions: string[];
  let answer: boolean;
  let shownErrors: string[];

  const $ = <T extends Element = HTMLElement>(selector: string): T =>
    panel.node.querySelector(selector) as T;
  const $$ = (selector: string) =>
    Array.from(panel.node.querySelectorAll<HTMLElement>(selector));
  const shownNames = () =>
    $$('.jp-HubGroupsCourse-member')
      .filter(row => !row.hidden)
      .map(row => row.querySelector('.jp-HubGroupsCourse-name')!.textContent);
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    await framePromise();
  };

  beforeEach(async () => {
    server = new FakeServer();
    model = new CourseMembersModel({
      serverSettings: server.settings(),
      group: COURSE
    });
    questions = [];
    answer = true;
    shownErrors = [];
    panel = new CourseMembersPanel({
      model,
      trans,
      confirm: async q => {
        questions.push(`${q.title} | ${q.body} | ${q.accept}`);
        return answer;
      },
      showError: async (title, reason) => {
        shownErrors.push(`${title}: ${errorMessage(reason, trans)}`);
      }
    });
    Widget.attach(panel, document.body);
    // The poll's first read (shown: at once), then no other for 10 s.
    await waitFor(() => server.requests.length > 0, 'the first read');
    await model.refresh();
    await settle();
  });

  afterEach(() => {
    panel.dispose();
    model.dispose();
  });

  it('reads while shown, and stops when hidden or gone', () => {
    expect(model.active).toBe(true);
    panel.hide();
    expect(model.active).toBe(false);
    panel.show();
    expect(model.active).toBe(true);
    Widget.detach(panel);
    expect(model.active).toBe(false);
  });

  it('lists the members in a table with column headers, and counts them', () => {
    expect(shownNames()).toEqual(['alice', 'mmuster']);
    expect(
      $$('th').map(th => [th.textContent, th.getAttribute('scope')])
    ).toEqual([
      ['Name', 'col'],
      ['Actions', 'col']
    ]);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('2 members');
    expect($('.jp-HubGroupsCourse-title').textContent).toBe(
      `Members of ${COURSE}`
    );
    expect(
      $$('.jp-HubGroupsCourse-remove').map(b => b.getAttribute('aria-label'))
    ).toEqual(['Remove alice', 'Remove mmuster']);
  });

  it('filters at once, says how many are shown, and clears with Escape', () => {
    const filter = $<HTMLInputElement>('.jp-HubGroupsCourse-filter');
    filter.value = 'MUST';
    filter.dispatchEvent(new Event('input'));
    expect(shownNames()).toEqual(['mmuster']);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('1 of 2 shown');
    filter.value = 'zz';
    filter.dispatchEvent(new Event('input'));
    expect(shownNames()).toEqual([]);
    expect($('.jp-HubGroupsCourse-empty').textContent).toBe(
      'No member matches "zz".'
    );
    filter.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(shownNames()).toEqual(['alice', 'mmuster']);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('2 members');
  });

  it('keeps rows (and the filter) when the members are read again', async () => {
    const aliceRow = $$('.jp-HubGroupsCourse-member')[0];
    panel.setFilter('m');
    server.members.push('mmuster2', 'bob');
    await model.refresh();
    expect($$('.jp-HubGroupsCourse-member')[0]).toBe(aliceRow);
    expect(shownNames()).toEqual(['mmuster', 'mmuster2']);
    expect(
      $$('.jp-HubGroupsCourse-member').map(
        r => r.textContent!.split('Remove')[0]
      )
    ).toEqual(['alice', 'bob', 'mmuster', 'mmuster2']);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('2 of 4 shown');
  });

  it('renders names with markup as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    server.members.push(hostile);
    await model.refresh();
    await panel.preview(namesFromText(`"${hostile.replace(/"/g, '""')}"`));
    expect(shownNames()).toContain(hostile);
    expect($('.jp-HubGroupsCourse-previewTable').textContent).toContain(
      hostile
    );
    expect(panel.node.querySelector('img')).toBeNull();
  });

  it('previews pasted names as a table of text, problems first, in one request', async () => {
    server.users.push('bob');
    const text = $<HTMLTextAreaElement>('.jp-HubGroupsCourse-names');
    text.value = 'bob\nalice, nobody; a/b\nBOB\n' + 'x'.repeat(300);
    server.requests = [];
    $<HTMLButtonElement>('.jp-HubGroupsCourse-addMany button').click();
    await settle();
    expect(server.calls.map(c => c.split('?')[0])).toEqual([
      `POST manage/${COURSE}/preview`
    ]);
    // The overlong name is never sent: the server would refuse them all.
    expect(JSON.parse(server.requests[0].init.body).names).toEqual([
      'bob',
      'alice',
      'nobody',
      'a/b'
    ]);
    const rows = $$('.jp-HubGroupsCourse-previewRow').map(row =>
      Array.from(row.children).map(cell => cell.textContent)
    );
    expect(rows).toEqual([
      ['nobody', 'unknown user'],
      // why, name by name
      ['a/b', "invalid: A user name cannot contain '/'."],
      ['x'.repeat(300), 'invalid: A user name has at most 255 characters.'],
      ['bob', 'new'],
      ['alice', 'already a member']
    ]);
    expect($('.jp-HubGroupsCourse-previewSummary').textContent).toBe(
      'Preview: 1 new · 1 already a member · 1 unknown user · 2 invalid · 1 duplicate left out'
    );
    // Announced (not shown twice): a polite live region says the same.
    const announcer = $('.jp-sr-only[aria-live="polite"]');
    expect(announcer.textContent).toBe(
      $('.jp-HubGroupsCourse-previewSummary').textContent
    );
    expect($('.jp-HubGroupsCourse-message').textContent).toBe('');
    expect($('.jp-HubGroupsCourse-apply').textContent).toBe('Add 1 person');
    // Nothing changed yet.
    expect(server.members).toEqual(['alice', 'mmuster']);
  });

  it('applies a preview: the rest is added, each name not added is said, and the add can be undone', async () => {
    server.users.push('bob', 'carol');
    await panel.preview(namesFromText('bob carol nobody alice'));
    $<HTMLButtonElement>('.jp-HubGroupsCourse-apply').click();
    await settle();
    expect(server.members).toEqual(['alice', 'mmuster', 'bob', 'carol']);
    expect($('.jp-HubGroupsCourse-message').textContent).toBe(
      `Added 2 people to ${COURSE}. alice was already a member. 1 not added:`
    );
    expect($$('.jp-HubGroupsCourse-error').map(e => e.textContent)).toEqual([
      'nobodyunknown user: JupyterHub has no user nobody.'
    ]);
    expect($('.jp-HubGroupsCourse-message').getAttribute('role')).toBe(
      'status'
    );
    expect($('.jp-HubGroupsCourse-preview').hidden).toBe(true);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('4 members');

    const undo = $<HTMLButtonElement>('.jp-HubGroupsCourse-undo');
    expect(undo.hidden).toBe(false);
    expect(undo.textContent).toBe('Undo: remove the 2 people added');
    undo.click();
    await settle();
    expect(server.members).toEqual(['alice', 'mmuster']);
    expect(undo.hidden).toBe(true);
    expect($('.jp-HubGroupsCourse-message').textContent).toBe(
      `Undone. Removed 2 people from ${COURSE}.`
    );
  });

  it('removes after a confirmation, and not without', async () => {
    answer = false;
    $<HTMLButtonElement>('[aria-label="Remove alice"]').click();
    await settle();
    expect(questions).toEqual([
      `Remove alice? | alice will no longer be a member of ${COURSE}. You can undo this afterwards. | Remove`
    ]);
    expect(server.members).toEqual(['alice', 'mmuster']);

    answer = true;
    $<HTMLButtonElement>('[aria-label="Remove alice"]').click();
    await settle();
    expect(server.members).toEqual(['mmuster']);
    expect(shownNames()).toEqual(['mmuster']);
    expect($('.jp-HubGroupsCourse-message').textContent).toBe(
      `Removed alice from ${COURSE}.`
    );
    // The focus goes to the next row, not to the page.
    expect(document.activeElement!.getAttribute('aria-label')).toBe(
      'Remove mmuster'
    );
    const undo = $<HTMLButtonElement>('.jp-HubGroupsCourse-undo');
    expect(undo.textContent).toBe('Undo: add alice back');
    undo.click();
    await settle();
    expect(shownNames()).toEqual(['alice', 'mmuster']);
  });

  it('adds one person, with completion from the users the instructor may list', async () => {
    jest.useFakeTimers();
    try {
      const input = $<HTMLInputElement>('.jp-HubGroupsCourse-oneInput');
      input.value = 'mm';
      input.dispatchEvent(new Event('input'));
      input.value = 'mmu';
      input.dispatchEvent(new Event('input'));
      await jest.advanceTimersByTimeAsync(300);
      // One request for what was typed last; members are not offered.
      expect(server.calls.filter(c => c.includes('/users'))).toHaveLength(1);
      const list = $<HTMLDataListElement>(`#${input.getAttribute('list')}`);
      expect(Array.from(list.options).map(option => option.value)).toEqual([
        'mmuster2'
      ]);
    } finally {
      jest.useRealTimers();
    }
    const input = $<HTMLInputElement>('.jp-HubGroupsCourse-oneInput');
    input.value = 'mmuster2';
    input.form!.requestSubmit();
    await settle();
    expect(server.members).toContain('mmuster2');
    expect(input.value).toBe('');
    expect($('.jp-HubGroupsCourse-message').textContent).toBe(
      `Added mmuster2 to ${COURSE}.`
    );
  });

  it('says so when the one name is unknown', async () => {
    const input = $<HTMLInputElement>('.jp-HubGroupsCourse-oneInput');
    input.value = 'nobody';
    input.form!.requestSubmit();
    await settle();
    expect($('.jp-HubGroupsCourse-message').textContent).toBe('Not added:');
    expect($$('.jp-HubGroupsCourse-error').map(e => e.textContent)).toEqual([
      'nobodyunknown user: JupyterHub has no user nobody.'
    ]);
    expect(input.value).toBe('nobody');
  });

  it('reads a CSV file into the names and previews them', async () => {
    server.users.push('bob');
    const file = $<HTMLInputElement>('.jp-HubGroupsCourse-file');
    const csv = new File(
      ['\uFEFFName;Username\r\n"Bob, B";bob\r\n"Alice";alice\r\n'],
      'students.csv',
      { type: 'text/csv' }
    );
    Object.defineProperty(file, 'files', { value: [csv] });
    file.dispatchEvent(new Event('change'));
    for (let i = 0; i < 5; i++) {
      await settle();
    }
    expect($<HTMLTextAreaElement>('.jp-HubGroupsCourse-names').value).toBe(
      'bob\nalice'
    );
    expect($('.jp-HubGroupsCourse-source').textContent).toBe(
      'From students.csv, column "Username".'
    );
    expect($('.jp-HubGroupsCourse-previewSummary').textContent).toContain(
      '1 new · 1 already a member'
    );
  });

  it('shows a failed request, and keeps the members', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    server.next.push([502, { error: 'hub-unreachable', message: 'Hub down.' }]);
    await panel.preview(namesFromText('bob'));
    expect(shownErrors).toEqual([
      'Cannot preview the names: JupyterHub could not be reached. Try again later.'
    ]);
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
    expect(shownNames()).toEqual(['alice', 'mmuster']);
  });

  it('closes itself for someone who may not manage the group', async () => {
    server.manages = [];
    await model.refresh();
    await settle();
    expect(panel.node.dataset.status).toBe('refused');
    const notice = $('.jp-HubGroupsCourse-notice');
    expect(notice.hidden).toBe(false);
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('You may not manage the members');
    expect($('.jp-HubGroupsCourse-body').hidden).toBe(true);
    expect($$('.jp-HubGroupsCourse-member')).toHaveLength(0);
  });

  it('says when the hub has no such group', async () => {
    server.next.push([
      404,
      { error: 'no-such-group', message: 'There is no group.' }
    ]);
    await model.refresh();
    await settle();
    expect(panel.node.dataset.status).toBe('absent');
    const notice = $('.jp-HubGroupsCourse-notice');
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toBe(`JupyterHub has no group ${COURSE}.`);
    expect($('.jp-HubGroupsCourse-status').textContent).toBe('');
    expect($('.jp-HubGroupsCourse-body').hidden).toBe(true);
  });

  it('says when the list is out of date, and keeps it', async () => {
    const status = $('.jp-HubGroupsCourse-status');
    expect(panel.node.dataset.status).toBe('ready');
    expect(status.title).toMatch(/^Read from the hub at /);
    server.next.push([502, { error: 'hub-timeout', message: 'slow' }]);
    await model.refresh();
    await settle();
    expect(panel.node.dataset.status).toBe('stale');
    expect(status.textContent).toBe(
      'Could not refresh (JupyterHub did not answer in time. Try again later.); the list may be out of date.'
    );
    expect(shownNames()).toEqual(['alice', 'mmuster']);
    expect($('.jp-HubGroupsCourse-notice').hidden).toBe(true);
    expect($('.jp-HubGroupsCourse-body').hidden).toBe(false);
  });

  it('renders 5000 members once; the filter and a refresh create no rows but new ones', async () => {
    server.members = Array.from(
      { length: 5000 },
      (_, i) => `student${String(i).padStart(4, '0')}`
    );
    await model.refresh();
    const rows = $$('.jp-HubGroupsCourse-member');
    expect(rows).toHaveLength(5000);
    const tbody = rows[0].parentElement!;
    const added: Node[] = [];
    const removed: Node[] = [];
    const observer = new MutationObserver(records => {
      for (const record of records) {
        added.push(...Array.from(record.addedNodes));
        removed.push(...Array.from(record.removedNodes));
      }
    });
    observer.observe(tbody, { childList: true, subtree: true });

    // The filter only hides rows.
    panel.setFilter('student4999');
    expect(shownNames()).toEqual(['student4999']);
    expect($('.jp-HubGroupsCourse-count').textContent).toBe('1 of 5000 shown');
    panel.setFilter('');
    // A read with one more member (between others) adds that one row.
    server.members.push('student2500a');
    await model.refresh();
    observer.takeRecords().forEach(record => {
      added.push(...Array.from(record.addedNodes));
      removed.push(...Array.from(record.removedNodes));
    });
    observer.disconnect();
    expect(added).toHaveLength(1);
    expect((added[0] as HTMLElement).textContent).toContain('student2500a');
    expect(removed).toEqual([]);
    const after = $$('.jp-HubGroupsCourse-member');
    expect(after).toHaveLength(5001);
    expect(after.filter(row => rows.includes(row))).toHaveLength(5000);
  });
});

describe('CourseMembersPanel without a list', () => {
  it('says it cannot read the members, and changes nothing', async () => {
    const server = new FakeServer();
    server.next.push([0, null]);
    const model = new CourseMembersModel({
      serverSettings: server.settings(),
      group: COURSE
    });
    const panel = new CourseMembersPanel({ model, trans });
    Widget.attach(panel, document.body);
    await waitFor(() => model.status !== 'loading', 'the first read');
    await framePromise();
    const $ = <T extends Element = HTMLElement>(selector: string): T =>
      panel.node.querySelector(selector) as T;
    expect(panel.node.dataset.status).toBe('unavailable');
    expect($('.jp-HubGroupsCourse-status').textContent).toBe(
      'Cannot read the members: The server could not be reached or did not answer. Try again later.'
    );
    expect($('.jp-HubGroupsCourse-status').title).toBe('');
    expect($('.jp-HubGroupsCourse-notice').hidden).toBe(true);
    expect(
      $<HTMLButtonElement>('.jp-HubGroupsCourse-addOne button.jp-mod-accept')
        .disabled
    ).toBe(true);
    // Refresh reads again.
    $<HTMLButtonElement>('.jp-HubGroupsCourse-statusLine button').click();
    await waitFor(() => model.status === 'ready', 'the read');
    await framePromise();
    expect(panel.node.dataset.status).toBe('ready');
    expect(
      $<HTMLButtonElement>('.jp-HubGroupsCourse-addOne button.jp-mod-accept')
        .disabled
    ).toBe(false);
    panel.dispose();
    model.dispose();
  });
});
