import { Notification } from '@jupyterlab/apputils';
import { Gettext, nullTranslator } from '@jupyterlab/translation';

import { PendingNotifier } from '../../../courses/requests/notifier';
import { PendingModel } from '../../../courses/requests/pending';
import { FRENCH, translated } from '../fakebundle';
import { COURSE, FakeService, OPEN } from '../fakeservice';

describe('PendingNotifier', () => {
  let service: FakeService;
  let model: PendingModel;
  let notifier: PendingNotifier;
  let opened: string[];

  const shown = () =>
    Notification.manager.notifications.map(n => ({
      type: n.type,
      message: n.message,
      autoClose: n.options.autoClose,
      actions: (n.options.actions ?? []).map(a => a.label)
    }));

  function setUp(trans = nullTranslator.load('jupyterlab_hub_groups')) {
    service = new FakeService();
    service.user = 'prof';
    service.manages = [COURSE, OPEN];
    model = new PendingModel({ client: service.client(), storage: null });
    opened = [];
    notifier = new PendingNotifier({
      model,
      trans,
      open: group => opened.push(group)
    });
  }

  beforeEach(() => setUp());

  afterEach(() => {
    notifier.dispose();
    model.dispose();
    Notification.dismiss();
  });

  it('names a course by its title, and opens it by its group', async () => {
    notifier.dispose();
    notifier = new PendingNotifier({
      model,
      trans: nullTranslator.load('jupyterlab_hub_groups'),
      open: group => opened.push(group),
      titleOf: group => (group === COURSE ? 'Data Science 1' : group)
    });
    await model.refresh();
    service.ask('mmuster2', COURSE);
    service.ask('alice', OPEN);
    await model.refresh();
    const [notice] = Notification.manager.notifications;
    expect(notice.message).toContain('Data Science 1');
    expect(notice.message).not.toContain(COURSE);
    const review = notice.options.actions!.find(
      a => a.label === 'Review Data Science 1'
    )!;
    review.callback(new Event('click') as any);
    expect(opened).toEqual([COURSE]);
  });

  it('notifies a new request once, not on every read', async () => {
    await model.refresh();
    expect(shown()).toEqual([]);
    service.ask('mmuster2', COURSE, 'hi');
    await model.refresh();
    await model.refresh();
    await model.refresh();
    expect(shown()).toEqual([
      {
        type: 'info',
        message: `mmuster2 asks to join ${COURSE}. They wrote: “\u2068hi\u2069”`,
        autoClose: false,
        actions: ['Review Requests']
      }
    ]);
  });

  it('shows the student’s message on one line, a long one cut with an ellipsis', async () => {
    const long =
      'Hello Professor X,\n\nI would like to take this class this semester, ' +
      'as my thesis needs it. Thank you! 👋 ' +
      'x'.repeat(200);
    service.ask('mmuster2', COURSE, long);
    await model.refresh();
    const [message] = shown().map(n => n.message);
    expect(message.length).toBeLessThanOrEqual(140);
    expect(message).toMatch(
      new RegExp(
        `^mmuster2 asks to join ${COURSE}\\. They wrote: “\u2068` +
          'Hello Professor X, I would like to take this class [^\n]*…\u2069”$'
      )
    );
    // Not cut inside the emoji.
    expect(message).not.toMatch(/[\ud800-\udbff][^\udc00-\udfff]/);
  });

  it('a message of white space only is no message; several requests are named only', async () => {
    service.ask('alice', COURSE, ' \n ');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `alice asks to join ${COURSE}.`
    ]);
    Notification.dismiss();
    service.ask('bob', COURSE, 'please');
    service.ask('carol', COURSE, 'me too');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `2 new requests to join ${COURSE}: bob, carol.`
    ]);
  });

  it('a message is text, kept apart from the sentence’s direction', async () => {
    service.ask('jester', COURSE, '<img src=x onerror=alert(1)> שלום');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `jester asks to join ${COURSE}. They wrote: “\u2068<img src=x onerror=alert(1)> שלום\u2069”`
    ]);
  });

  it('its button opens the course’s panel', async () => {
    service.ask('mmuster2');
    await model.refresh();
    const [notification] = Notification.manager.notifications;
    notification.options.actions![0].callback(new MouseEvent('click'));
    expect(opened).toEqual([COURSE]);
  });

  it('summarises several in one notification, and adds later ones to it', async () => {
    service.ask('alice');
    service.ask('bob');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `2 new requests to join ${COURSE}: alice, bob.`
    ]);
    const id = notifier.notificationId;
    service.ask('carol');
    service.ask('dave');
    await model.refresh();
    expect(notifier.notificationId).toBe(id);
    expect(shown().map(n => n.message)).toEqual([
      `4 new requests to join ${COURSE}: alice, bob, carol and 1 more.`
    ]);
    service.ask('erin', OPEN);
    await model.refresh();
    expect(shown()).toEqual([
      {
        type: 'info',
        message: `5 new requests to join your courses (${COURSE}, ${OPEN}): alice, bob, carol and 2 more.`,
        autoClose: false,
        actions: [`Review ${COURSE}`, `Review ${OPEN}`]
      }
    ]);
  });

  it('a dismissed notification is not brought back; the next request has its own', async () => {
    service.ask('alice');
    await model.refresh();
    Notification.dismiss(notifier.notificationId!);
    expect(notifier.notificationId).toBeNull();
    await model.refresh();
    expect(shown()).toEqual([]);
    service.ask('bob');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `bob asks to join ${COURSE}.`
    ]);
  });

  it('requests decided elsewhere leave it; it goes when none is left', async () => {
    const alice = service.ask('alice');
    const bob = service.ask('bob');
    await model.refresh();
    alice.state = 'approved';
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `bob asks to join ${COURSE}.`
    ]);
    bob.state = 'declined';
    await model.refresh();
    expect(shown()).toEqual([]);
  });

  it('notifies nothing when turned off (a setting)', async () => {
    notifier.enabled = false;
    service.ask('alice');
    await model.refresh();
    expect(shown()).toEqual([]);
  });

  it('says everything through the translation bundle', async () => {
    notifier.dispose();
    model.dispose();
    setUp(new Gettext({ stringsPrefix: '¶' }));
    service.ask('alice', COURSE, 'hi');
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `¶¶alice asks to join ${COURSE}. They wrote: “\u2068hi\u2069”`
    ]);
    service.ask('bob');
    await model.refresh();
    expect(shown().map(n => [n.message, ...n.actions])).toEqual([
      [`¶2 new requests to join ${COURSE}: ¶alice, bob.`, '¶Review Requests']
    ]);
  });

  it('lists the names with the language’s separator and plural forms', async () => {
    notifier.dispose();
    model.dispose();
    setUp(
      translated('fr', FRENCH, {
        '%1, %2': ['%1 ; %2'],
        '%2 and %1 more': ['%2 et %1 autre', '%2 et %1 autres']
      })
    );
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      service.ask(user);
    }
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `4 new requests to join ${COURSE}: alice ; bob ; carol et 1 autre.`
    ]);
    service.ask('erin', OPEN);
    await model.refresh();
    expect(shown().map(n => n.message)).toEqual([
      `5 new requests to join your courses (${COURSE} ; ${OPEN}): alice ; bob ; carol et 2 autres.`
    ]);
  });
});
