/**
 * What the student is told when an instructor decides: a notification
 * that takes the place of "is with its instructors", with a restart when
 * approved and "Ask Again" when declined.
 */
import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { restartServer } from '../../../common/restart';
import {
  followDecisions,
  requestNotices
} from '../../../courses/join/decisions';
import { JoinModel } from '../../../courses/join/model';
import { COURSE, FakeService } from '../fakeservice';
import { waitFor } from '../fakeserver';

jest.mock('../../../common/restart', () => ({
  restartServer: jest.fn(() => Promise.resolve(true))
}));

const JOIN = 'hub-groups:join-course';
const trans = nullTranslator.load('jupyterlab_hub_groups');

describe('followDecisions', () => {
  let service: FakeService;
  let model: JoinModel;
  let commands: CommandRegistry;
  let asked: unknown[];

  beforeEach(async () => {
    service = new FakeService();
    model = new JoinModel({ client: service.client() });
    commands = new CommandRegistry();
    asked = [];
    commands.addCommand(JOIN, { execute: args => void asked.push(args) });
    followDecisions(model, { commands, joinCommand: JOIN, trans });
  });

  afterEach(() => {
    model.dispose();
    Notification.dismiss();
    requestNotices.clear();
    (restartServer as jest.Mock).mockClear();
  });

  const shown = () =>
    Notification.manager.notifications.map(n => [n.type, n.message]);

  /** mmuster2 asked; the dialog said so (as dialog.ts does). */
  async function askAndTell(): Promise<ReturnType<FakeService['ask']>> {
    const row = service.ask(service.user);
    await model.refresh();
    requestNotices.set(
      COURSE,
      Notification.success(
        `Your request to join ${COURSE} is with its instructors.`
      )
    );
    return row;
  }

  it('replaces "with its instructors" by the approval, with a restart', async () => {
    const row = await askAndTell();
    row.state = 'approved';
    row.decided = '2026-12-01T11:00:00+00:00';
    service.members[COURSE].push(service.user);
    await model.refresh();
    expect(shown()).toEqual([
      [
        'success',
        `You are in ${COURSE} now. Its kernels and services come with your server's next start.`
      ]
    ]);
    const [notice] = Notification.manager.notifications;
    expect(notice.options.autoClose).toBe(false);
    const restart = notice.options.actions!.find(
      a => a.label === 'Restart Now'
    )!;
    restart.callback(new Event('click') as any);
    await waitFor(
      () => (restartServer as jest.Mock).mock.calls.length > 0,
      'the restart'
    );
    expect(restartServer).toHaveBeenCalledWith({ trans, commands });
  });

  it('names the course by its title', async () => {
    service.titles[COURSE] = 'Data Science 1';
    const row = await askAndTell();
    row.state = 'declined';
    row.decided = '2026-12-01T11:00:00+00:00';
    await model.refresh();
    expect(shown()).toEqual([
      ['warning', 'Your request to join Data Science 1 was declined.']
    ]);
  });

  it('replaces it by the decline, with Ask Again', async () => {
    const row = await askAndTell();
    row.state = 'declined';
    row.decided = '2026-12-01T11:00:00+00:00';
    await model.refresh();
    expect(shown()).toEqual([
      ['warning', `Your request to join ${COURSE} was declined.`]
    ]);
    const [notice] = Notification.manager.notifications;
    notice.options
      .actions!.find(a => a.label === 'Ask Again')!
      .callback(new Event('click') as any);
    expect(asked).toEqual([{ group: COURSE }]);
  });

  it("shows the instructor's reason as text, isolated", async () => {
    const row = await askAndTell();
    row.state = 'declined';
    row.decided = '2026-12-01T11:00:00+00:00';
    row.reason = '<img src=x onerror="alert(1)"> Full';
    await model.refresh();
    expect(shown()).toEqual([
      [
        'warning',
        `Your request to join ${COURSE} was declined. Their reason: “\u2068<img src=x onerror="alert(1)"> Full\u2069”`
      ]
    ]);
  });

  it('shows a new one when the first was closed, and nothing for what was decided before the page', async () => {
    const row = service.ask(service.user);
    row.state = 'declined';
    row.decided = '2026-12-01T09:00:00+00:00';
    await model.refresh();
    expect(shown()).toEqual([]); // the card says it; no news
    row.state = 'pending';
    await model.refresh();
    requestNotices.set(COURSE, Notification.info('asked again'));
    Notification.dismiss();
    row.state = 'declined';
    row.decided = '2026-12-01T12:00:00+00:00';
    await model.refresh();
    expect(shown()).toEqual([
      ['warning', `Your request to join ${COURSE} was declined.`]
    ]);
  });
});
