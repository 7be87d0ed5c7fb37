import { framePromise } from '@jupyterlab/testutils';
import { Gettext, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { errorMessage } from '../../../common/wording';
import { CourseMembersModel } from '../../../courses/members/model';
import { CourseMembersPanel } from '../../../courses/members/panel';
import { CourseRequestsModel } from '../../../courses/requests/model';
import { FRENCH, translated } from '../fakebundle';
import { answer, FakeService } from '../fakeservice';
import { COURSE, FakeServer, waitFor } from '../fakeserver';

describe('the requests section of the members panel', () => {
  let server: FakeServer;
  let service: FakeService;
  let members: CourseMembersModel;
  let requests: CourseRequestsModel;
  let panel: CourseMembersPanel;
  let questions: string[];
  let confirmAnswer: boolean;
  let shownErrors: string[];

  const $ = <T extends Element = HTMLElement>(selector: string): T =>
    panel.node.querySelector(selector) as T;
  const $$ = (selector: string) =>
    Array.from(panel.node.querySelectorAll<HTMLElement>(selector));
  const section = () => $('.jp-HubGroupsRequests');
  const rows = () =>
    $$('.jp-HubGroupsRequests-request').map(row =>
      Array.from(row.querySelectorAll('td'))
        .slice(0, 2)
        .map(td => td.textContent)
    );
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    await framePromise();
  };

  async function setUp(trans = nullTranslator.load('jupyterlab_hub_groups')) {
    server = new FakeServer();
    service = new FakeService();
    service.user = 'prof';
    service.manages = [COURSE];
    members = new CourseMembersModel({
      serverSettings: server.settings(),
      group: COURSE
    });
    requests = new CourseRequestsModel({
      client: service.client(),
      group: COURSE
    });
    questions = [];
    confirmAnswer = true;
    shownErrors = [];
    panel = new CourseMembersPanel({
      model: members,
      requests,
      trans,
      confirm: async q => {
        questions.push(`${q.title} | ${q.body} | ${q.accept}`);
        return confirmAnswer;
      },
      showError: async (title, reason) => {
        shownErrors.push(`${title}: ${errorMessage(reason, trans)}`);
      }
    });
  }

  /** Click a button of JupyterLab's dialog; its title and first paragraph. */
  async function answerDialog(label: string): Promise<string> {
    await waitFor(
      () => !!document.querySelector('.jp-Dialog .jp-Dialog-button'),
      'the dialog'
    );
    const dialog = document.querySelector('.jp-Dialog')!;
    const text = `${dialog.querySelector('.jp-Dialog-header')?.textContent} | ${dialog.querySelector('.jp-Dialog-body p')?.textContent}`;
    Array.from(dialog.querySelectorAll<HTMLButtonElement>('.jp-Dialog-button'))
      .find(b => b.textContent === label)!
      .click();
    await waitFor(() => !document.querySelector('.jp-Dialog'), 'it to close');
    return text;
  }

  async function show(): Promise<void> {
    Widget.attach(panel, document.body);
    await waitFor(() => requests.status !== 'loading', 'the first read');
    await waitFor(() => server.requests.length > 0, 'the members');
    await members.refresh();
    await settle();
  }

  afterEach(() => {
    panel.dispose();
    members.dispose();
    requests.dispose();
  });

  it('comes first, lists who asks, their message and when, as text', async () => {
    await setUp();
    const hostile = '<img src=x onerror="window.__pwned=1">\nsecond line';
    service.ask('mmuster2', COURSE, hostile);
    service.ask('bob');
    await show();
    expect(section().hidden).toBe(false);
    // Above the members and the forms.
    expect(
      section().compareDocumentPosition($('.jp-HubGroupsCourse-body')) &
        Node.DOCUMENT_POSITION_FOLLOWING
    ).toBeTruthy();
    expect(
      $('.jp-HubGroupsRequests .jp-HubGroupsCourse-heading').textContent
    ).toBe('Requests to join');
    expect($('.jp-HubGroupsRequests-count').textContent).toBe('2 waiting');
    expect(rows()).toEqual([
      ['mmuster2', hostile],
      ['bob', '(no message)']
    ]);
    expect(section().querySelector('img')).toBeNull();
    expect($('.jp-HubGroupsRequests-message').getAttribute('dir')).toBe('auto');
    const time = $('.jp-HubGroupsRequests-asked time');
    expect(time.getAttribute('datetime')).toBe(service.rows[0].created);
    expect(time.textContent).not.toBe('');
    expect(
      $$('.jp-HubGroupsRequests th').map(th => [
        th.textContent,
        th.getAttribute('scope')
      ])
    ).toEqual([
      ['User', 'col'],
      ['Message', 'col'],
      ['Asked', 'col'],
      ['Actions', 'col']
    ]);
    expect(
      $$('.jp-HubGroupsRequests-request button').map(b =>
        b.getAttribute('aria-label')
      )
    ).toEqual([
      'Decline mmuster2',
      'Approve mmuster2',
      'Decline bob',
      'Approve bob'
    ]);
    expect($('.jp-HubGroupsRequests-approveAll').textContent).toBe(
      'Approve All (2)'
    );
    expect($('.jp-HubGroupsRequests-approveAll').hidden).toBe(false);
  });

  it('approving one: the result, the members read again, the focus to the next', async () => {
    await setUp();
    service.ask('mmuster2');
    service.ask('bob');
    await show();
    const before = server.requests.length;
    const approve = $<HTMLButtonElement>(
      '.jp-HubGroupsRequests-request .jp-HubGroupsRequests-approve'
    );
    approve.focus();
    // The service adds them; the members endpoint then lists them.
    server.members.push('mmuster2');
    approve.click();
    await waitFor(
      () => $('.jp-HubGroupsRequests-result').textContent !== '',
      'the result'
    );
    expect($('.jp-HubGroupsRequests-result').textContent).toBe(
      `Approved mmuster2: a member of ${COURSE} now.`
    );
    expect($('.jp-HubGroupsRequests-result').getAttribute('aria-live')).toBe(
      'polite'
    );
    expect(service.calls.map(c => c.call)).toContain(
      `POST courses/${COURSE}/requests/approve`
    );
    await waitFor(() => server.requests.length > before, 'the members read');
    await settle();
    expect(
      $$('.jp-HubGroupsCourse-member .jp-HubGroupsCourse-name').map(
        n => n.textContent
      )
    ).toContain('mmuster2');
    expect(rows().map(r => r[0])).toEqual(['bob']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe(
      'Approve bob'
    );
    // One request left: no "all" buttons.
    expect($('.jp-HubGroupsRequests-approveAll').hidden).toBe(true);
  });

  it('declining one reads no members; the focus goes to the heading when none is left', async () => {
    await setUp();
    service.ask('mmuster2');
    await show();
    const before = server.requests.length;
    const decline = $<HTMLButtonElement>('.jp-HubGroupsRequests-decline');
    decline.focus();
    decline.click();
    // JupyterLab's dialog asks first (decline.spec.ts), then gives the
    // focus back to the button
    await answerDialog('Decline');
    await waitFor(() => rows().length === 0, 'the row to go');
    expect($('.jp-HubGroupsRequests-result').textContent).toBe(
      'Declined the request of mmuster2. Undo'
    );
    expect(server.requests.length).toBe(before);
    expect(document.activeElement).toBe(
      $('.jp-HubGroupsRequests .jp-HubGroupsCourse-heading')
    );
    await waitFor(() => requests.status === 'ready' && !requests.busy, 'read');
    await settle();
    expect($('.jp-HubGroupsRequests-empty').hidden).toBe(false);
    expect($('.jp-HubGroupsRequests-empty').textContent).toBe(
      'No requests waiting.'
    );
  });

  it('approve all and decline all ask first', async () => {
    await setUp();
    for (const name of ['a1', 'a2', 'a3']) {
      service.ask(name);
    }
    await show();
    $<HTMLButtonElement>('.jp-HubGroupsRequests-declineAll').click();
    expect(await answerDialog('Cancel')).toBe(
      `Decline all 3 requests? | The requests of a1, a2, a3 to join ${COURSE} will be declined. They may ask again.`
    );
    await settle();
    expect(service.calls.some(c => c.call.startsWith('POST'))).toBe(false);
    confirmAnswer = true;
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approveAll').click();
    await waitFor(() => rows().length === 0, 'the rows to go');
    expect(questions[0]).toBe(
      `Approve all 3 requests? | a1, a2, a3 will become members of ${COURSE}. | Approve All`
    );
    const post = service.calls.find(c => c.call.endsWith('/approve'))!;
    expect(post.body).toEqual({ users: ['a1', 'a2', 'a3'] });
    expect($('.jp-HubGroupsRequests-result').textContent).toBe(
      `Approved 3 requests: members of ${COURSE} now.`
    );
  });

  it('reports, user by user, what was not decided', async () => {
    await setUp();
    service.ask('a1');
    service.ask('a2');
    await show();
    service.next.push(
      answer(200, {
        approved: ['a1'],
        declined: [],
        errors: [
          {
            user: 'a2',
            error: 'unknown-user',
            message: 'JupyterHub has no user a2.'
          }
        ]
      })
    );
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approveAll').click();
    await waitFor(
      () => $('.jp-HubGroupsRequests-result').textContent !== '',
      'the result'
    );
    expect($('.jp-HubGroupsRequests-result').textContent).toBe(
      `Approved a1: a member of ${COURSE} now. 1 not approved:`
    );
    expect(
      $$('.jp-HubGroupsRequests .jp-HubGroupsCourse-error').map(
        e => e.textContent
      )
    ).toEqual(['a2There is no such user.']);
  });

  it('a failed decision is shown, and the requests stay', async () => {
    await setUp();
    service.ask('a1');
    await show();
    service.next.push(answer(502, '<html>Bad Gateway</html>'));
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approve').click();
    await waitFor(() => shownErrors.length === 1, 'the error');
    expect(shownErrors[0]).toBe(
      'Cannot approve: The server could not be reached or did not answer. Try again later.'
    );
    await waitFor(() => !requests.busy, 'the read after');
    await settle();
    expect(rows().map(r => r[0])).toEqual(['a1']);
  });

  it('says a failure in the language’s punctuation, names as its list', async () => {
    await setUp(
      translated('fr', FRENCH, {
        '%1: %2': ['%1 : %2'],
        '%1, %2': ['%1 ; %2'],
        '%2 and %1 more': ['%2 et %1 autre', '%2 et %1 autres']
      })
    );
    for (let i = 1; i <= 12; i++) {
      service.ask(`a${i}`);
    }
    await show();
    confirmAnswer = false;
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approveAll').click();
    await waitFor(() => questions.length === 1, 'the question');
    expect(questions[0]).toContain(
      'a1 ; a2 ; a3 ; a4 ; a5 ; a6 ; a7 ; a8 ; a9 ; a10 et 2 autres will become'
    );
    service.next.push(answer(502, '<html>Bad Gateway</html>'));
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approve').click();
    await waitFor(() => shownErrors.length === 1, 'the error');
    expect($('.jp-HubGroupsRequests-result').textContent).toBe(
      'Cannot approve : The server could not be reached or did not answer. Try again later.'
    );
    await waitFor(() => !requests.busy, 'the read after');
  });

  it('is not there for a group that takes no requests', async () => {
    await setUp();
    service.courses = {};
    await show();
    expect(requests.status).toBe('refused');
    expect(section().hidden).toBe(true);
    expect(section().dataset.status).toBe('refused');
  });

  it('is not there on a hub without the service', async () => {
    await setUp();
    service.next.push(answer(404, '<html>404 Not Found</html>'));
    await show();
    expect(requests.status).toBe('absent');
    expect(section().hidden).toBe(true);
    // The members are managed all the same.
    expect($('.jp-HubGroupsCourse-body').hidden).toBe(false);
  });

  it('says when no list could be read, and keeps a list it had', async () => {
    await setUp();
    service.next.push('offline');
    await show();
    expect(requests.status).toBe('unavailable');
    await settle();
    expect(section().hidden).toBe(false);
    expect(section().dataset.status).toBe('unavailable');
    expect($('.jp-HubGroupsRequests-status').hidden).toBe(false);
    expect($('.jp-HubGroupsRequests-status').textContent).toBe(
      'Cannot read the requests to join: The server could not be reached or did not answer. Try again later.'
    );
    expect($('.jp-HubGroupsRequests-empty').hidden).toBe(true);

    service.ask('a1');
    await requests.refresh();
    await settle();
    expect(section().dataset.status).toBe('ready');
    expect($('.jp-HubGroupsRequests-status').hidden).toBe(true);
    service.next.push(answer(502, '<html>Bad Gateway</html>'));
    await requests.refresh();
    await settle();
    expect(section().dataset.status).toBe('stale');
    expect($('.jp-HubGroupsRequests-status').textContent).toBe(
      'Could not refresh the requests (The server could not be reached or did not answer. Try again later.); the list may be out of date.'
    );
    expect(rows().map(r => r[0])).toEqual(['a1']);
  });

  it('reads while shown, and stops when hidden or gone', async () => {
    await setUp();
    await show();
    expect(requests.active).toBe(true);
    panel.hide();
    expect(requests.active).toBe(false);
    panel.show();
    expect(requests.active).toBe(true);
    Widget.detach(panel);
    expect(requests.active).toBe(false);
  });

  it('says everything through the translation bundle', async () => {
    await setUp(new Gettext({ stringsPrefix: '¶' }));
    service.ask('a1', COURSE, 'hello');
    service.ask('a2');
    await show();
    const texts = [
      ...$$('.jp-HubGroupsRequests th, .jp-HubGroupsRequests button'),
      $('.jp-HubGroupsRequests .jp-HubGroupsCourse-heading'),
      $('.jp-HubGroupsRequests-count'),
      $$('.jp-HubGroupsRequests-message')[1]
    ].map(n => n.textContent);
    for (const text of texts) {
      expect(text).toMatch(/^¶/);
    }
    expect(
      $$('.jp-HubGroupsRequests-request button').map(b =>
        b.getAttribute('aria-label')
      )
    ).toEqual(['¶Decline a1', '¶Approve a1', '¶Decline a2', '¶Approve a2']);
  });
});
