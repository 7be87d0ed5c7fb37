import { nullTranslator } from '@jupyterlab/translation';

import { HubGroupsError } from '../../../common/request';
import { HistoryClient, IHistory } from '../../../courses/history/client';
import { RecordedMembersModel } from '../../../courses/history/recorded';
import { IHistoryEvent } from '../../../courses/history/rows';
import { HistorySection } from '../../../courses/history/view';
import { COURSE, FakeServer, waitFor } from '../fakeserver';

const trans = nullTranslator.load('jupyterlab_hub_groups');
const HOSTILE = '<img src=x onerror="window.hacked=1">';

const EVENTS: IHistoryEvent[] = [
  {
    at: '2026-12-01T09:05:00+00:00',
    kind: 'removed',
    user: 'mmuster',
    by: 'prof'
  },
  { at: '2026-12-01T09:04:00+00:00', kind: 'added', user: '=1+2', by: 'prof' },
  {
    at: '2026-12-01T09:03:00+00:00',
    kind: 'declined',
    user: HOSTILE,
    by: 'prof',
    reason: 'full, sorry'
  },
  {
    at: '2026-12-01T09:02:00+00:00',
    kind: 'approved',
    user: 'mmuster2',
    by: null
  }
];

class FakeHistory {
  reads = 0;
  answers: Array<IHistory | HubGroupsError> = [];
  reports: Array<[string, string, readonly string[]]> = [];
  async history(): Promise<IHistory> {
    this.reads++;
    const next = this.answers.shift() ?? { events: EVENTS, truncated: false };
    if (next instanceof HubGroupsError) {
      throw next;
    }
    return next;
  }
  async report(group: string, kind: string, users: readonly string[]) {
    this.reports.push([group, kind, users]);
    return [...users];
  }
}

function section(fake: FakeHistory, downloads: Array<[string, string]> = []) {
  const view = new HistorySection({
    client: fake as unknown as HistoryClient,
    group: COURSE,
    id: 'p',
    trans,
    download: (name, text) => downloads.push([name, text])
  });
  document.body.append(view.node);
  return view;
}

function shownRows(view: HistorySection): string[][] {
  return Array.from(view.node.querySelectorAll('tbody tr')).map(tr =>
    Array.from(tr.querySelectorAll('td'))
      .slice(1)
      .map(td => td.textContent ?? '')
  );
}

async function open(view: HistorySection): Promise<void> {
  view.node.open = true;
  await view.refresh();
}

describe('HistorySection', () => {
  afterEach(() => document.body.replaceChildren());

  it('reads nothing until opened, then shows the events newest first, as text', async () => {
    const fake = new FakeHistory();
    const view = section(fake);
    await view.refresh();
    expect(fake.reads).toBe(0);
    await open(view);
    expect(fake.reads).toBe(1);
    expect(shownRows(view)).toEqual([
      ['removed', 'mmuster', 'prof', ''],
      ['added', '=1+2', 'prof', ''],
      ['declined', HOSTILE, 'prof', 'full, sorry'],
      ['approved', 'mmuster2', 'outside the panel', '']
    ]);
    expect(view.node.querySelector('img')).toBeNull();
    expect((window as any).hacked).toBeUndefined();
    expect(
      view.node.querySelector('.jp-HubGroupsHistory-status')?.textContent
    ).toBe('4 events');
    expect(view.node.querySelector('time')?.dateTime).toBe(EVENTS[0].at);
  });

  it('filters by person and by kind', async () => {
    const view = section(new FakeHistory());
    await open(view);
    const person = view.node.querySelector('input') as HTMLInputElement;
    const kind = view.node.querySelector('select') as HTMLSelectElement;
    person.value = 'MMUSTER';
    person.dispatchEvent(new Event('input'));
    expect(shownRows(view).map(r => r[1])).toEqual(['mmuster', 'mmuster2']);
    kind.value = 'approved';
    kind.dispatchEvent(new Event('change'));
    expect(shownRows(view).map(r => r[1])).toEqual(['mmuster2']);
    expect(
      view.node.querySelector('.jp-HubGroupsHistory-status')?.textContent
    ).toBe('1 of 4 events');
    person.value = 'nobody';
    person.dispatchEvent(new Event('input'));
    expect(shownRows(view)).toEqual([]);
    const exportButton = Array.from(view.node.querySelectorAll('button')).find(
      b => b.textContent === 'Export CSV'
    );
    expect(exportButton?.disabled).toBe(true);
  });

  it('exports the rows the filter shows, safe for spreadsheets', async () => {
    const downloads: Array<[string, string]> = [];
    const view = section(new FakeHistory(), downloads);
    await open(view);
    const kind = view.node.querySelector('select') as HTMLSelectElement;
    kind.value = 'added';
    kind.dispatchEvent(new Event('change'));
    view.exportCsv();
    kind.value = 'declined';
    kind.dispatchEvent(new Event('change'));
    view.exportCsv();
    expect(downloads[0][0]).toMatch(
      /^history-Class1234_Semester02-\d{4}-\d\d-\d\d\.csv$/
    );
    expect(downloads[0][1]).toBe(
      'When,What,Who,By whom,Reason\r\n' +
        "2026-12-01T09:04:00+00:00,added,'=1+2,prof,\r\n"
    );
    expect(downloads[1][1]).toBe(
      'When,What,Who,By whom,Reason\r\n' +
        '2026-12-01T09:03:00+00:00,declined,"<img src=x onerror=""window.hacked=1"">",prof,"full, sorry"\r\n'
    );
  });

  it('shows a page at a time, and says a failure', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      ...EVENTS[1],
      user: `u${i}`
    }));
    const fake = new FakeHistory();
    fake.answers.push({ events: many, truncated: true });
    const view = section(fake);
    await open(view);
    expect(shownRows(view)).toHaveLength(100);
    const more = view.node.querySelector(
      '.jp-HubGroupsHistory-more'
    ) as HTMLButtonElement;
    expect(more.textContent).toBe('Show 30 more');
    more.click();
    expect(shownRows(view)).toHaveLength(130);
    expect(more.hidden).toBe(true);
    expect(
      view.node.querySelector('.jp-HubGroupsHistory-status')?.textContent
    ).toBe('130 events Only the newest 130 are kept here.');
    fake.answers.push(new HubGroupsError(403, 'not-a-manager', 'no'));
    const error = jest
      .spyOn(console, 'error')
      .mockImplementation(() => undefined);
    await view.refresh();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
    expect(
      view.node.querySelector('.jp-HubGroupsHistory-status')?.textContent
    ).toMatch(/^Cannot read the history: /);
  });
});

describe('RecordedMembersModel', () => {
  it('reports what the hub did after an add, a removal and an undo', async () => {
    const server = new FakeServer();
    const fake = new FakeHistory();
    const model = new RecordedMembersModel({
      serverSettings: server.settings(),
      group: COURSE,
      history: fake as unknown as HistoryClient
    });
    let reported = 0;
    model.reported.connect(() => reported++);
    await model.add(['mmuster2', 'nobody-here', 'alice']);
    await model.undo();
    await model.remove(['mmuster']);
    await model.remove(['mmuster']); // not a member now: nothing to report
    await waitFor(() => reported === 3, 'three reports');
    expect(fake.reports).toEqual([
      [COURSE, 'added', ['mmuster2']],
      [COURSE, 'removed', ['mmuster2']],
      [COURSE, 'removed', ['mmuster']]
    ]);
    model.dispose();
  });

  it('never fails a change whose report fails', async () => {
    const server = new FakeServer();
    const fake = new FakeHistory();
    fake.report = () =>
      Promise.reject(new HubGroupsError(0, 'unavailable', 'down'));
    const error = jest
      .spyOn(console, 'error')
      .mockImplementation(() => undefined);
    const model = new RecordedMembersModel({
      serverSettings: server.settings(),
      group: COURSE,
      history: fake as unknown as HistoryClient
    });
    const result = await model.add(['mmuster2']);
    expect(result.done).toEqual(['mmuster2']);
    await waitFor(() => error.mock.calls.length > 0, 'the console');
    expect(String(error.mock.calls[0][0])).toMatch(
      /could not record who was added/
    );
    error.mockRestore();
    model.dispose();
  });
});
