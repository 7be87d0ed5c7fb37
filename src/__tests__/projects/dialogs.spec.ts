/**
 * The projects' views: picking people (completion, keyboard), the New
 * Project dialog (validation, refusals shown again with what was typed),
 * the Project members panel and Share My Server.
 */
import {
  acceptDialog,
  dismissDialog,
  waitForDialog
} from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { ProjectMembers } from '../../projects/members';
import { ProjectsModel } from '../../projects/model';
import { newProject } from '../../projects/newproject';
import { PeoplePicker } from '../../projects/people';
import { sharesWithGroup } from '../../projects/remember';
import { shareServer, ShareBody } from '../../projects/share';
import { FakeProjectsService, waitFor } from './fakeservice';

const trans = nullTranslator.load('jupyterlab_hub_groups');

/** The dialog on the page. */
const dialog = () => document.querySelector('.jp-Dialog') as HTMLElement;

/** Type into a field as a person would. */
function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

/** Press a key in a field. */
function press(input: HTMLElement, key: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', {
    key,
    bubbles: true,
    cancelable: true
  });
  input.dispatchEvent(event);
  return event;
}

describe('PeoplePicker', () => {
  let service: FakeProjectsService;
  let picker: PeoplePicker;

  beforeEach(() => {
    service = new FakeProjectsService();
    picker = new PeoplePicker({
      client: service.client(),
      trans,
      label: 'Members',
      exclude: ['vex']
    });
    Widget.attach(picker, document.body);
  });

  afterEach(() => picker.dispose());

  it('suggests names from GET people once typing pauses, leaving out the user', async () => {
    type(picker.input, 'v');
    type(picker.input, 'va');
    await waitFor(
      () => picker.node.querySelectorAll('option').length > 0,
      'suggestions'
    );
    expect(service.said).toEqual(['GET people?q=va']); // one per pause
    const options = Array.from(picker.node.querySelectorAll('option')).map(
      o => o.value
    );
    expect(options).toEqual(['vax']);
    expect(picker.input.getAttribute('list')).toBe(
      picker.node.querySelector('datalist')!.id
    );
  });

  it('adds a known name with Enter (never closing a dialog), and says why not otherwise', async () => {
    type(picker.input, 'nobody');
    const enter = press(picker.input, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    await waitFor(() => picker.message !== '', 'the message');
    expect(picker.message).toBe('There is no such user: nobody.');
    expect(picker.names).toEqual([]);

    type(picker.input, 'vax');
    press(picker.input, 'Enter');
    await waitFor(() => picker.names.length === 1, 'vax added');
    expect(picker.names).toEqual(['vax']);
    expect(picker.input.value).toBe('');

    type(picker.input, 'vex');
    await picker.addTyped();
    expect(picker.message).toBe('vex is already in the list.');
    type(picker.input, ' ');
    await picker.addTyped();
    expect(picker.message).toBe('Type a name first.');
  });

  it('removes a picked name with its own button, named for screen readers', async () => {
    type(picker.input, 'vax');
    await picker.addTyped();
    const remove = picker.node.querySelector(
      '.jp-HubGroupsPeople-list button'
    ) as HTMLButtonElement;
    expect(remove.getAttribute('aria-label')).toBe('Remove vax from the list');
    remove.click();
    expect(picker.names).toEqual([]);
    expect(document.activeElement).toBe(picker.input);
  });
});

describe('newProject', () => {
  let service: FakeProjectsService;
  let model: ProjectsModel;

  beforeEach(() => {
    service = new FakeProjectsService();
    model = new ProjectsModel({ client: service.client(), auto: false });
  });

  afterEach(() => model.dispose());

  /** The dialog's name field and error. */
  const field = () => dialog().querySelector('input') as HTMLInputElement;
  const error = () =>
    dialog()?.querySelector('.jp-HubGroupsNewProject-error') as HTMLElement;

  it('makes the project with the members picked', async () => {
    const made = newProject(model, trans, 'vex');
    await waitForDialog();
    field().value = 'orca';
    const members = dialog().querySelectorAll('input')[1] as HTMLInputElement;
    type(members, 'vax');
    press(members, 'Enter');
    await waitFor(
      () => dialog().querySelectorAll('.jp-HubGroupsPeople-list li').length > 0,
      'vax in the list'
    );
    expect(dialog()).not.toBeNull(); // Enter in the field did not close it
    await acceptDialog();
    await expect(made).resolves.toMatchObject({
      name: 'orca',
      members: ['vax', 'vex']
    });
    expect(service.calls.find(c => c.call === 'POST projects')?.body).toEqual({
      name: 'orca',
      members: ['vax']
    });
  });

  it('asks again for a missing name, then shows the refusal with what was typed', async () => {
    service.people.push('taken');
    const made = newProject(model, trans, 'vex');
    await waitForDialog();
    await acceptDialog();
    await waitFor(() => !!error() && !error().hidden, 'the error');
    expect(error().textContent).toBe('A project needs a name.');
    expect(error().getAttribute('role')).toBe('alert');
    field().value = 'taken';
    await acceptDialog();
    await waitFor(
      () => !!error() && error().textContent!.startsWith('That name is taken'),
      'name-taken'
    );
    expect(field().value).toBe('taken');
    service.max = 0;
    field().value = 'orca';
    await acceptDialog();
    await waitFor(
      () =>
        !!error() && error().textContent!.startsWith('You have made as many'),
      'too-many-projects'
    );
    await dismissDialog();
    await expect(made).resolves.toBeNull();
    expect(service.projects).toEqual([]);
  });
});

describe('ProjectMembers', () => {
  let service: FakeProjectsService;
  let model: ProjectsModel;
  let panel: ProjectMembers;

  beforeEach(async () => {
    service = new FakeProjectsService();
    service.projects = [
      {
        name: 'orca',
        creator: 'vex',
        members: ['vax', 'vex'],
        status: 'running'
      }
    ];
    model = new ProjectsModel({ client: service.client(), auto: false });
    await model.refresh();
    panel = new ProjectMembers(model, 'orca', trans);
    Widget.attach(panel, document.body);
  });

  afterEach(() => {
    panel.dispose();
    model.dispose();
  });

  const rows = () =>
    Array.from(panel.node.querySelectorAll('li')).map(li => li.textContent);

  it('lists the members, the creator marked and never removable', () => {
    expect(rows()).toEqual(['vaxRemove', 'vex (made the project)']);
  });

  it('removes and adds members through the service', async () => {
    (panel.node.querySelector('li button') as HTMLButtonElement).click();
    await waitFor(() => rows().length === 1, 'vax removed');
    expect(service.projects[0].members).toEqual(['vex']);
    expect(panel.status).toBe('Removed: vax.');
    type(panel.picker.input, 'alice');
    await panel.picker.addTyped();
    await waitFor(() => rows().length === 2, 'alice added');
    expect(service.projects[0].members).toEqual(['alice', 'vex']);
  });

  it("words the service's refusal", async () => {
    await panel.change(['vex'], false);
    expect(panel.status).toBe('The person who made a project stays in it.');
  });

  it('shows no controls to a member who did not make it', async () => {
    service.user = 'vax';
    await model.refresh();
    expect(panel.node.querySelectorAll('li button')).toHaveLength(0);
    expect(panel.deleteButton.hidden).toBe(true);
    expect(panel.picker.isHidden).toBe(true);
  });

  it('deletes the project only once confirmed', async () => {
    const first = panel.remove();
    await waitForDialog();
    await dismissDialog();
    await expect(first).resolves.toBe(false);
    expect(service.projects).toHaveLength(1);
    const second = panel.remove();
    await waitForDialog();
    // The dialog's own Delete (the panel's button is a warn button too).
    (
      dialog().querySelector('.jp-Dialog-button.jp-mod-warn') as HTMLElement
    ).click();
    await expect(second).resolves.toBe(true);
    expect(service.projects).toHaveLength(0);
    expect(model.byName('orca')).toBeUndefined();
  });
});

describe('Share My Server', () => {
  let service: FakeProjectsService;
  let body: ShareBody;

  beforeEach(async () => {
    service = new FakeProjectsService();
    service.user = 'mmuster';
    service.groups = { course: ['alice', 'mmuster'], other: ['bob'] };
    body = new ShareBody({
      client: service.client(),
      trans,
      groups: ['course']
    });
    Widget.attach(body, document.body);
    await body.load();
  });

  afterEach(() => body.dispose());

  const rows = () =>
    Array.from(body.node.querySelectorAll('.jp-HubGroupsShare-list li')).map(
      li => li.firstChild!.textContent
    );

  it('lists who has access, shares with a person and a group, and revokes', async () => {
    expect(rows()).toEqual(['Only you.']);
    type(body.picker.input, 'alice');
    await body.picker.addTyped();
    await waitFor(() => rows()[0] === 'alice', 'alice');
    body.group.value = 'course';
    body.shareGroupButton.click();
    await waitFor(() => rows().length === 2, 'the group');
    expect(rows()[1]).toBe('Group course (alice)');
    expect(sharesWithGroup()).toBe(true); // remembered for the next load
    await body.revoke(body.shares[0]);
    expect(rows()).toEqual(['Group course (alice)']);
    expect(service.calls[service.calls.length - 1].body).toEqual({
      user: 'alice'
    });
    await body.revoke(body.shares[0]);
    expect(rows()).toEqual(['Only you.']);
    expect(sharesWithGroup()).toBe(false);
  });

  it("words the service's refusal of a group one is not in", async () => {
    body.group.appendChild(new Option('other', 'other'));
    body.group.value = 'other';
    body.shareGroupButton.click();
    await waitFor(() => body.status !== '', 'the refusal');
    expect(body.status).toBe('You may only share with a group you are in.');
  });

  it("says so on someone else's server, sharing nothing", async () => {
    const shown = shareServer([], trans, null);
    await waitForDialog();
    expect(dialog().textContent).toContain(
      'Only your own server can be shared'
    );
    await acceptDialog();
    await shown;
  });
});
