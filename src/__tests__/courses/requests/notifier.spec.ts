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
        message: `mmuster2 asks to join ${COURSE}.`,
        autoClose: false,
        actions: ['Review Requests']
      }
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
    service.ask('alice');
    await model.refresh();
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
