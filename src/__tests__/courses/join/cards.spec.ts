import { Notification } from '@jupyterlab/apputils';
import { Launcher, LauncherModel } from '@jupyterlab/launcher';
import { framePromise } from '@jupyterlab/testing';
import {
  Gettext,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { JoinModel } from '../../../courses/join/model';
import { JoinCards } from '../../../courses/join/cards';
import { FakeGroups } from '../../fakes';
import { answer, COURSE, FakeService, OPEN } from '../fakeservice';
import { waitFor } from '../fakeserver';

const JOIN = 'hub-groups:join-course';

describe('JoinCards', () => {
  let service: FakeService;
  let model: JoinModel;
  let groups: FakeGroups;
  let launcherModel: LauncherModel;
  let commands: CommandRegistry;
  let cards: JoinCards;
  let launcher: Launcher | null;

  function setUp(trans: TranslationBundle): void {
    service = new FakeService();
    model = new JoinModel({ client: service.client() });
    groups = new FakeGroups('ready');
    launcherModel = new LauncherModel();
    commands = new CommandRegistry();
    cards = new JoinCards({
      model,
      groups,
      launcher: launcherModel,
      command: JOIN,
      trans
    });
    commands.addCommand(JOIN, {
      label: args => cards.label(args),
      caption: args => cards.caption(args),
      icon: args => cards.icon(args),
      execute: args => cards.open(args)
    });
    launcher = null;
  }

  const label = (group: string) => commands.label(JOIN, { group });
  const items = () =>
    Array.from(launcherModel.items()).map(i => [i.args?.group, i.category]);

  /** The real launcher's cards, once React has drawn `count` of them. */
  async function drawn(count: number): Promise<HTMLElement[]> {
    if (!launcher) {
      launcher = new Launcher({
        model: launcherModel,
        cwd: '',
        callback: () => undefined,
        commands,
        translator: nullTranslator
      });
      Widget.attach(launcher, document.body);
    }
    const found = () =>
      Array.from(
        launcher!.node.querySelectorAll<HTMLElement>('.jp-LauncherCard')
      );
    for (let frame = 0; frame < 100 && found().length !== count; frame++) {
      await framePromise();
    }
    return found();
  }

  /** The dialog a card opened (once it is attached). */
  async function dialog(): Promise<HTMLElement> {
    // Drawn: JupyterLab's dialog renders its header with React, a frame
    // or more after the dialog is in the page.
    await waitFor(
      () =>
        !!document.querySelector('.jp-HubGroupsJoin-dialog .jp-Dialog-header')
          ?.textContent,
      'the dialog'
    );
    return document.querySelector<HTMLElement>('.jp-HubGroupsJoin-dialog')!;
  }

  const gone = () =>
    waitFor(
      () => !document.querySelector('.jp-HubGroupsJoin-dialog'),
      'the dialog to close'
    );

  /** Type into the dialog's message field. */
  function type(node: HTMLElement, text: string): HTMLTextAreaElement {
    const area = node.querySelector('textarea')!;
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    return area;
  }

  const button = (node: HTMLElement, text: string) =>
    Array.from(
      node.querySelectorAll<HTMLButtonElement>('.jp-Dialog-footer button')
    ).find(b => b.textContent === text)!;

  afterEach(async () => {
    document
      .querySelector<HTMLElement>('.jp-Dialog')
      ?.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
      );
    launcher?.dispose();
    cards.dispose();
    model.dispose();
    Notification.dismiss();
  });

  describe('cards', () => {
    beforeEach(() => setUp(nullTranslator.load('jupyterlab_hub_groups')));

    it('one per course one is not in, in "Courses", labelled with its state', async () => {
      await model.refresh();
      expect(items()).toEqual([
        [COURSE, 'Courses'],
        [OPEN, 'Courses']
      ]);
      expect(label(COURSE)).toBe(`Join ${COURSE} · Request to join`);
      expect(label(OPEN)).toBe(`Join ${OPEN}`);
      expect(commands.caption(JOIN, { group: COURSE })).toBe(
        `Ask the instructors of ${COURSE} to let you in`
      );

      const row = service.ask('mmuster2', COURSE, 'hi');
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Pending`);
      expect(commands.caption(JOIN, { group: COURSE })).toMatch(
        /^You asked to join Class1234_Semester02 \(.+\); an instructor has not decided yet$/
      );
      row.state = 'declined';
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Declined — ask again`);

      service.next.push(answer(503, '<html>Service Unavailable</html>'));
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Enrolment unavailable`);
      expect(label(OPEN)).toBe(`Join ${OPEN} · Enrolment unavailable`);

      service.next.push(answer(403, { error: 'no-access', message: 'no' }));
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Restart your server`);
      expect(commands.caption(JOIN, { group: COURSE })).toContain(
        'Restart your server'
      );
    });

    it('badges the icon with the state, and the launcher draws it', async () => {
      service.ask('mmuster2', COURSE);
      await model.refresh();
      const shown = await drawn(2);
      const course = shown.find(c => c.textContent!.includes(COURSE))!;
      expect(course.textContent).toBe(`Join ${COURSE} · Pending`);
      expect(course.dataset.category).toBe('Courses');
      const badge = course.querySelector('.jp-LauncherCard-icon > div')!;
      expect(badge.classList).toContain('jp-HubGroupsJoin-status');
      expect(badge.classList).toContain('jp-mod-pending');
      expect(
        badge.querySelector(
          'svg[data-icon="jupyterlab-hub-groups:course-join"]'
        )
      ).not.toBeNull();
      // Keyboard: JupyterLab's card is a focusable button.
      expect(course.getAttribute('role')).toBe('button');
      expect(course.tabIndex).toBe(0);
    });

    it('is added again only when its state changes, and goes once one is in', async () => {
      await model.refresh();
      const added = jest.spyOn(launcherModel, 'add');
      await model.refresh();
      expect(added).not.toHaveBeenCalled();
      service.ask('mmuster2');
      await model.refresh();
      expect(added).toHaveBeenCalledTimes(1);
      expect(items()).toHaveLength(2);
      // The groups service knows first (an instructor added them).
      groups.answer('ready', [COURSE]);
      expect(items()).toEqual([[OPEN, 'Courses']]);
      // The listing says so too.
      service.members[OPEN].push('mmuster2');
      await model.refresh();
      expect(items()).toEqual([]);
      added.mockRestore();
    });

    it('keeps names with markup as text', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      service.courses = { [hostile]: 'request' };
      service.members = { [hostile]: [] };
      await model.refresh();
      const [card] = await drawn(1);
      expect(card.textContent).toBe(`Join ${hostile} · Request to join`);
      expect(launcher!.node.querySelector('img')).toBeNull();
    });

    it('names a course by its title, kept as text; the group stays its key', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1"> Data Science 1';
      service.titles[COURSE] = hostile;
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${hostile} · Request to join`);
      expect(items()).toContainEqual([COURSE, 'Courses']);
      const cards = await drawn(2);
      expect(cards.map(c => c.textContent)).toContain(
        `Join ${hostile} · Request to join`
      );
      expect(launcher!.node.querySelector('img')).toBeNull();
      expect(model.titleOf(COURSE)).toBe(hostile);
      expect(model.titleOf('unknown')).toBe('unknown');
    });

    it('removes its cards when disposed, once', async () => {
      await model.refresh();
      cards.dispose();
      cards.dispose();
      expect(cards.isDisposed).toBe(true);
      expect(items()).toEqual([]);
    });
  });

  describe('dialog', () => {
    beforeEach(async () => {
      setUp(nullTranslator.load('jupyterlab_hub_groups'));
      await model.refresh();
    });

    it('asks with a message: the request is pending, the card says so', async () => {
      const opened = commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      expect(node.querySelector('.jp-Dialog-header')!.textContent).toBe(
        `Ask to Join ${COURSE}`
      );
      expect(
        node.querySelector('.jp-HubGroupsJoin-hint')!.textContent
      ).toContain("Its kernels and services come at your server's next start");
      // The field is named and described (the counter, the hint).
      const area = node.querySelector('textarea')!;
      expect(node.querySelector(`label[for="${area.id}"]`)!.textContent).toBe(
        'Message to the instructors (optional)'
      );
      expect(area.getAttribute('aria-describedby')).toContain(
        node.querySelector('.jp-HubGroupsJoin-counter')!.id
      );
      type(node, 'Dear prof,\tplease\r\nlet me in.');
      expect(node.querySelector('.jp-HubGroupsJoin-counter')!.textContent).toBe(
        '28 / 500 characters'
      );
      button(node, 'Send Request').click();
      await gone();
      expect(await opened).toMatchObject({ state: 'pending' });
      const post = service.calls.find(c => c.call.startsWith('POST'))!;
      expect(post.body).toEqual({ message: 'Dear prof, please\nlet me in.' });
      expect(label(COURSE)).toBe(`Join ${COURSE} · Pending`);
      expect(
        Notification.manager.notifications.map(n => [n.type, n.message])
      ).toEqual([
        ['success', `Your request to join ${COURSE} is with its instructors.`]
      ]);
    });

    it('reads again before it opens: a decision since the last read shows at once', async () => {
      const row = service.ask(service.user);
      await model.refresh();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Pending`);
      // An instructor declines; the page has not read since.
      row.state = 'declined';
      row.decided = '2026-12-01T11:00:00+00:00';
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      expect(button(node, 'Ask Again')).toBeDefined();
      expect(button(node, 'Withdraw Request')).toBeUndefined();
      expect(label(COURSE)).toBe(`Join ${COURSE} · Declined — ask again`);
    });

    it('Enter in the message is a new line; Ctrl+Enter sends', async () => {
      const opened = commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      const area = type(node, 'Dear prof,');
      expect(area.getAttribute('aria-keyshortcuts')).toBe(
        'Control+Enter Meta+Enter'
      );
      const enter = new KeyboardEvent('keydown', {
        key: 'Enter',
        bubbles: true,
        cancelable: true
      });
      area.dispatchEvent(enter);
      // Not taken: the browser types the line break.
      expect(enter.defaultPrevented).toBe(false);
      await framePromise();
      expect(service.calls.filter(c => c.call.startsWith('POST'))).toEqual([]);
      expect(node.isConnected).toBe(true);
      type(node, 'Dear prof,\nplease.');
      area.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: 'Enter',
          ctrlKey: true,
          bubbles: true,
          cancelable: true
        })
      );
      await gone();
      expect(await opened).toMatchObject({ state: 'pending' });
      const post = service.calls.find(c => c.call.startsWith('POST'))!;
      expect(post.body).toEqual({ message: 'Dear prof,\nplease.' });
    });

    it('limits the message to 500 characters, counted as the service does', async () => {
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      const counter = node.querySelector('.jp-HubGroupsJoin-counter')!;
      const send = button(node, 'Send Request');
      let area = type(node, '😀'.repeat(500));
      expect(counter.textContent).toBe('500 / 500 characters');
      expect(area.validity.valid).toBe(true);
      expect(send.disabled).toBe(false);
      area = type(node, '😀'.repeat(500) + 'ab');
      expect(counter.textContent).toBe('502 / 500 characters: 2 too many');
      expect(counter.classList).toContain('jp-mod-error');
      expect(area.validity.valid).toBe(false);
      // JupyterLab's dialog disables its accept button for invalid fields.
      expect(send.disabled).toBe(true);
      // Enter elsewhere in the dialog sends nothing either.
      node.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
      );
      await framePromise();
      expect(service.calls.filter(c => c.call.startsWith('POST'))).toEqual([]);
      expect(document.querySelector('.jp-HubGroupsJoin-dialog')).not.toBeNull();
      // Trailing spaces do not count.
      type(node, 'x'.repeat(500) + '   ');
      expect(counter.textContent).toBe('500 / 500 characters');
      expect(send.disabled).toBe(false);
    });

    it('says the limit once when near it and once when over, not the count at each key', async () => {
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      const area = node.querySelector('textarea')!;
      const counter = node.querySelector('.jp-HubGroupsJoin-counter')!;
      const limit = node.querySelector('.jp-HubGroupsJoin-limit')!;
      // The counter is read with the field, on focus; it is no live region.
      expect(area.getAttribute('aria-describedby')).toContain(counter.id);
      expect(counter.closest('[aria-live]')).toBeNull();
      expect(limit.getAttribute('aria-live')).toBe('polite');
      expect(limit.classList).toContain('jp-sr-only');
      const said: string[] = [];
      for (const n of [1, 2, 100, 449, 450, 451, 470, 500, 501, 502, 510]) {
        type(node, 'x'.repeat(n));
        said.push(limit.textContent!);
      }
      // The visible counter still counts every character.
      expect(counter.textContent).toBe('510 / 500 characters: 10 too many');
      expect(said).toEqual([
        '',
        '',
        '',
        '',
        '50 characters left',
        '50 characters left',
        '50 characters left',
        '50 characters left',
        'The message is 1 character too long',
        'The message is 1 character too long',
        'The message is 1 character too long'
      ]);
      type(node, 'x'.repeat(499));
      expect(limit.textContent).toBe('1 character left');
      type(node, 'x'.repeat(449));
      expect(limit.textContent).toBe('');
      type(node, 'x'.repeat(480));
      expect(limit.textContent).toBe('20 characters left');
    });

    it('stays open when the service is down, with an error line and the text kept', async () => {
      const opened = commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      type(node, 'Dear prof');
      // Down for the request, and for the read of the listing after it.
      const down = () => answer(503, '<html>Service Unavailable</html>');
      service.next.push(down(), down());
      button(node, 'Send Request').click();
      await waitFor(
        () =>
          !node.querySelector<HTMLElement>('.jp-HubGroupsJoin-error')!.hidden,
        'the error line'
      );
      const error = node.querySelector('.jp-HubGroupsJoin-error')!;
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.textContent).toBe(
        'The enrolment service is unavailable now. Your message is kept: try again later.'
      );
      expect(node.isConnected).toBe(true);
      expect(node.querySelector('textarea')!.value).toBe('Dear prof');
      expect(button(node, 'Send Request').disabled).toBe(false);
      await waitFor(
        () => label(COURSE) === `Join ${COURSE} · Enrolment unavailable`,
        'the card to say so'
      );
      // The service is back: the same dialog sends.
      button(node, 'Send Request').click();
      await gone();
      expect(((await opened) as any).state).toBe('pending');
      expect(label(COURSE)).toBe(`Join ${COURSE} · Pending`);
    });

    it('keeps the text for the next try when the dialog is closed', async () => {
      const first = commands.execute(JOIN, { group: COURSE });
      let node = await dialog();
      type(node, 'Dear prof');
      button(node, 'Cancel').click();
      await gone();
      expect(await first).toBeNull();
      void commands.execute(JOIN, { group: COURSE });
      node = await dialog();
      expect(node.querySelector('textarea')!.value).toBe('Dear prof');
    });

    it('says how long to wait when rate-limited, and for no-access to restart', async () => {
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      const error = node.querySelector<HTMLElement>('.jp-HubGroupsJoin-error')!;
      service.next.push(
        answer(429, {
          error: 'rate-limited',
          message: 'Too many',
          retry_after: 1190
        })
      );
      button(node, 'Send Request').click();
      await waitFor(() => !error.hidden, 'the error line');
      expect(error.textContent).toBe(
        'Too many requests: try again in 20 minutes. Your message is kept.'
      );
      service.next.push(answer(403, { error: 'no-access', message: 'no' }));
      button(node, 'Send Request').click();
      await waitFor(
        () => error.textContent!.startsWith('This server'),
        'no-access'
      );
      expect(error.textContent).toContain('restart your server');
    });

    it('joins an open course at once', async () => {
      const opened = commands.execute(JOIN, { group: OPEN });
      const node = await dialog();
      expect(node.querySelector('.jp-Dialog-header')!.textContent).toBe(
        `Join ${OPEN}`
      );
      button(node, 'Join Now').click();
      await gone();
      expect(((await opened) as any).state).toBe('approved');
      expect(items()).toEqual([[COURSE, 'Courses']]);
    });

    it('shows a pending request as text, and withdraws it', async () => {
      const hostile = '<b onmouseover="x()">hi</b>\nsecond line';
      await model.ask(COURSE, hostile);
      // Enter closes; it never withdraws.
      const first = commands.execute(JOIN, { group: COURSE });
      (await dialog()).dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
      );
      await gone();
      expect(await first).toBeNull();
      expect(service.calls.map(c => c.call)).not.toContain(
        `DELETE courses/${COURSE}/requests/mine`
      );
      const opened = commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      expect(node.querySelector('textarea')).toBeNull();
      const sent = node.querySelector('.jp-HubGroupsJoin-sent')!;
      expect(sent.textContent).toBe(hostile);
      expect(sent.querySelector('b')).toBeNull();
      expect(sent.getAttribute('dir')).toBe('auto');
      button(node, 'Withdraw Request').click();
      await gone();
      expect(await opened).toBeNull();
      expect(service.calls.map(c => c.call)).toContain(
        `DELETE courses/${COURSE}/requests/mine`
      );
      expect(label(COURSE)).toBe(`Join ${COURSE} · Request to join`);
    });

    it('says more in the dialog than on the card: why the service is unavailable', async () => {
      const down = () => answer(503, '<html>Service Unavailable</html>');
      // This read, and the one opening the card makes.
      service.next.push(down(), down());
      await model.refresh();
      expect(commands.caption(JOIN, { group: COURSE })).toBe(
        `Requests to join ${COURSE} cannot be made now: the enrolment service is unavailable`
      );
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      expect(node.querySelector('.jp-HubGroupsJoin-state')!.textContent).toBe(
        'The enrolment service cannot be reached now (The server could not be reached or did not answer. Try again later.). You may try anyway; if it fails, your message is kept for the next try.'
      );
    });

    it('with no-access, explains the restart and offers nothing to send', async () => {
      service.next.push(answer(403, { error: 'no-access', message: 'no' }));
      await model.refresh();
      void commands.execute(JOIN, { group: COURSE });
      const node = await dialog();
      expect(node.querySelector('textarea')).toBeNull();
      expect(
        node.querySelector('.jp-HubGroupsJoin-state')!.textContent
      ).toContain('Restart your server');
      expect(
        Array.from(node.querySelectorAll('.jp-Dialog-footer button')).map(
          b => b.textContent
        )
      ).toEqual(['Close']);
    });
  });

  it('says everything through the translation bundle', async () => {
    setUp(new Gettext({ stringsPrefix: '¶' }));
    await model.refresh();
    expect(label(COURSE)).toBe(`¶Join ${COURSE} · ¶Request to join`);
    expect(label(OPEN)).toBe(`¶Join ${OPEN}`);
    expect(items()[0][1]).toBe('¶Courses');
    void commands.execute(JOIN, { group: COURSE });
    const node = await dialog();
    const texts = [
      node.querySelector('.jp-Dialog-header')!.textContent,
      ...Array.from(
        node.querySelectorAll('.jp-HubGroupsJoin p, .jp-HubGroupsJoin label')
      )
        .filter(n => n.textContent)
        .map(n => n.textContent),
      ...Array.from(node.querySelectorAll('.jp-Dialog-footer button')).map(
        b => b.textContent
      )
    ];
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) {
      expect(text).toMatch(/^¶/);
    }
    type(node, 'x'.repeat(480));
    expect(node.querySelector('.jp-HubGroupsJoin-limit')!.textContent).toBe(
      '¶20 characters left'
    );
    type(node, 'x'.repeat(503));
    expect(node.querySelector('.jp-HubGroupsJoin-limit')!.textContent).toBe(
      '¶The message is 3 characters too long'
    );
  });
});
