import { framePromise } from '@jupyterlab/testutils';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { CourseMembersModel } from '../../../courses/members/model';
import { CourseMembersPanel } from '../../../courses/members/panel';
import { offerUndo, undoSummary } from '../../../courses/requests/decline';
import { CourseRequestsModel } from '../../../courses/requests/model';
import { FakeService } from '../fakeservice';
import { COURSE, FakeServer, waitFor } from '../fakeserver';

const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('declining requests: the reason and Undo', () => {
  let server: FakeServer;
  let service: FakeService;
  let members: CourseMembersModel;
  let requests: CourseRequestsModel;
  let panel: CourseMembersPanel;

  const $ = <T extends Element = HTMLElement>(selector: string): T =>
    panel.node.querySelector(selector) as T;
  const users = () =>
    Array.from(panel.node.querySelectorAll('.jp-HubGroupsRequests-user')).map(
      td => td.textContent
    );
  const posts = () =>
    service.calls.filter(c => c.call.startsWith('POST')).map(c => c.call);

  beforeEach(async () => {
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
    panel = new CourseMembersPanel({
      model: members,
      requests,
      trans,
      confirm: async () => true,
      showError: async () => undefined
    });
    service.ask('mmuster2', COURSE, 'please');
    service.ask('bob');
    Widget.attach(panel, document.body);
    await waitFor(() => requests.requests.length === 2, 'the requests');
    await framePromise();
  });

  afterEach(() => {
    panel.dispose();
    members.dispose();
    requests.dispose();
    document.querySelectorAll('.jp-Dialog').forEach(d => d.remove());
  });

  /** The open dialog (JupyterLab's), once its buttons are drawn. */
  async function dialog(): Promise<HTMLElement> {
    await waitFor(
      () => !!document.querySelector('.jp-Dialog .jp-Dialog-button'),
      'the dialog'
    );
    return document.querySelector('.jp-Dialog') as HTMLElement;
  }

  function press(d: HTMLElement, label: string): void {
    Array.from(d.querySelectorAll<HTMLButtonElement>('.jp-Dialog-button'))
      .find(b => b.textContent === label)!
      .click();
  }

  async function declineMmuster2(reason: string): Promise<HTMLElement> {
    $<HTMLButtonElement>('.jp-HubGroupsRequests-decline').click();
    const d = await dialog();
    d.querySelector('textarea')!.value = reason;
    press(d, 'Decline');
    await waitFor(() => users().length === 1, 'the row to go');
    return d;
  }

  it('asks with an optional reason the student reads, and sends it', async () => {
    $<HTMLButtonElement>('.jp-HubGroupsRequests-decline').click();
    const d = await dialog();
    expect(d.querySelector('.jp-Dialog-header')!.textContent).toBe(
      'Decline the request of mmuster2?'
    );
    expect(d.querySelector('.jp-Dialog-body p')!.textContent).toBe(
      `mmuster2 will read that their request to join ${COURSE} was declined, and may ask again.`
    );
    const field = d.querySelector('label')!;
    expect(field.textContent).toBe('Reason (optional; mmuster2 reads it)');
    const textarea = field.querySelector('textarea')!;
    expect(textarea.maxLength).toBe(500);
    expect(textarea.dir).toBe('auto');
    // typed into, focused first: Enter there makes a line, not a decline
    await waitFor(() => document.activeElement === textarea, 'the focus');
    press(d, 'Cancel');
    await waitFor(() => !document.querySelector('.jp-Dialog'), 'no dialog');
    expect(posts()).toEqual([]);

    const reason = '  <b>Full</b>\nTry in spring  ';
    await declineMmuster2(reason);
    const post = service.calls.find(c => c.call.endsWith('/decline'))!;
    expect(post.body).toEqual({
      users: ['mmuster2'],
      reason: '<b>Full</b>\nTry in spring'
    });
    expect(service.rows[0].reason).toBe('<b>Full</b>\nTry in spring');
  });

  it('sends no reason when none is given; Decline All asks with one too', async () => {
    $<HTMLButtonElement>('.jp-HubGroupsRequests-declineAll').click();
    const d = await dialog();
    expect(d.querySelector('label')!.textContent).toBe(
      'Reason (optional; they read it)'
    );
    d.querySelector('textarea')!.value = '   ';
    press(d, 'Decline All');
    await waitFor(() => users().length === 0, 'the rows to go');
    const post = service.calls.find(c => c.call.endsWith('/decline'))!;
    expect(post.body).toEqual({ users: ['mmuster2', 'bob'] });
  });

  it('offers Undo after a decline: the request waits again', async () => {
    await declineMmuster2('full');
    const result = $('.jp-HubGroupsRequests-result');
    const undo = $<HTMLButtonElement>('.jp-HubGroupsRequests-undo');
    expect(result.contains(undo)).toBe(true);
    expect(undo.tagName).toBe('BUTTON');
    expect(undo.textContent).toBe('Undo');
    expect(undo.getAttribute('aria-label')).toBe('Undo declining mmuster2');
    undo.focus();
    undo.click();
    await waitFor(() => users().length === 2, 'the request back');
    expect(posts()).toEqual([
      `POST courses/${COURSE}/requests/decline`,
      `POST courses/${COURSE}/requests/undecline`
    ]);
    expect(
      service.calls.find(c => c.call.endsWith('/undecline'))!.body
    ).toEqual({ users: ['mmuster2'] });
    expect(result.textContent).toBe(
      'Undone: the request of mmuster2 waits again.'
    );
    expect($('.jp-HubGroupsRequests-undo')).toBeNull();
    // the focus is not lost with the button
    expect(document.activeElement).toBe(
      $('.jp-HubGroupsRequests .jp-HubGroupsCourse-heading')
    );
    // declined again: a new Undo
    await declineMmuster2('really full');
    expect($('.jp-HubGroupsRequests-undo')).not.toBeNull();
    expect(service.rows[0].reason).toBe('really full');
  });

  it('the next decision takes Undo away; an undo refused says why', async () => {
    await declineMmuster2('');
    // approving bob: the result is his, and Undo goes
    $<HTMLButtonElement>('.jp-HubGroupsRequests-approve').click();
    await waitFor(() => users().length === 0, 'bob approved');
    expect($('.jp-HubGroupsRequests-undo')).toBeNull();

    const node = document.createElement('p');
    const undone: string[][] = [];
    const offer = offerUndo({
      node,
      users: ['a', 'b'],
      trans,
      seconds: 0.05,
      undo: async () => void undone.push(['a', 'b'])
    });
    expect(node.querySelector('button')!.getAttribute('aria-label')).toBe(
      'Undo declining a, b'
    );
    await waitFor(() => !node.querySelector('button'), 'the window to end');
    expect(offer.isDisposed).toBe(true);
    expect(undone).toEqual([]);
    expect(
      undoSummary(
        {
          undone: [],
          errors: [{ name: 'a', error: 'undo-expired', message: '' }]
        },
        trans
      )
    ).toBe('1 not undone:');
  });
});
