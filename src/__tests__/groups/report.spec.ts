import { Gettext, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { HubGroupsReport } from '../../groups/report';
import { FakeGroups } from '../fakes';

const trans = nullTranslator.load('jupyterlab_hub_groups');

/** `report-g00` … (`report-g000` … past 100): `count` group names. */
function groupNames(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `report-g${String(i).padStart(count > 100 ? 3 : 2, '0')}`
  );
}

function ready(groups: string[]): FakeGroups {
  const model = new FakeGroups();
  model.user = { name: 'vex', displayName: 'vex', serverOwner: 'vex' };
  model.lastUpdated = new Date();
  model.answer('ready', groups);
  return model;
}

describe('HubGroupsReport', () => {
  let report: HubGroupsReport | null = null;

  afterEach(() => {
    report?.dispose();
    report = null;
  });

  function open(model: FakeGroups): HubGroupsReport {
    report = new HubGroupsReport(model, trans);
    Widget.attach(report, document.body);
    return report;
  }

  const filter = () =>
    report!.node.querySelector<HTMLInputElement>('.jp-HubGroupsReport-filter');
  const count = () =>
    report!.node.querySelector('.jp-HubGroupsReport-count')?.textContent;
  const listed = () =>
    Array.from(
      report!.node.querySelectorAll('.jp-HubGroupsReport-groups li')
    ).map(li => li.textContent);
  const type = (text: string) => {
    filter()!.value = text;
    filter()!.dispatchEvent(new Event('input', { bubbles: true }));
  };

  it('lists a few groups plainly, without filter or count', () => {
    open(ready(['vox', 'Class1234_Semester02']));
    expect(listed()).toEqual(['Class1234_Semester02', 'vox']);
    expect(filter()).toBeNull();
    expect(count()).toBeUndefined();
    expect(report!.node.querySelector('[data-field="user"]')!.textContent).toBe(
      'vex'
    );
  });

  it('up to 15 groups: still plain; from 16: a filter and a count', () => {
    open(ready(groupNames(15)));
    expect(filter()).toBeNull();
    report!.dispose();
    open(ready(groupNames(16)));
    expect(filter()).not.toBeNull();
    expect(count()).toBe('16 groups');
  });

  it('filters 202 groups by a part of the name, in any case, and counts', () => {
    open(ready(groupNames(202)));
    expect(listed()).toHaveLength(202);
    expect(count()).toBe('202 groups');
    expect(filter()!.type).toBe('search');
    expect(filter()!.classList).toContain('jp-mod-styled');

    type('G19');
    expect(listed()).toEqual(groupNames(202).slice(190, 200));
    expect(count()).toBe('10 of 202 shown');
    type('report-g007');
    expect(listed()).toEqual(['report-g007']);
    expect(count()).toBe('1 of 202 shown');
    type('nothing like it');
    expect(listed()).toEqual([]);
    expect(count()).toBe('0 of 202 shown');
    type('  ');
    expect(listed()).toHaveLength(202);
    expect(count()).toBe('202 groups');
  });

  it('keeps the filter, its text and its focus when the groups change', () => {
    const model = ready(groupNames(60));
    open(model);
    const input = filter()!;
    input.focus();
    type('g5');
    expect(count()).toBe('10 of 60 shown');

    model.answer('ready', [...groupNames(60), 'report-g5x']);
    expect(filter()).toBe(input);
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe('g5');
    expect(count()).toBe('11 of 61 shown');
    expect(listed()).toContain('report-g5x');

    // Down to a few groups: no filter, every group shown.
    model.answer('ready', ['vox']);
    expect(filter()).toBeNull();
    expect(listed()).toEqual(['vox']);
    model.answer('unavailable', []);
    expect(
      report!.node.querySelector('[data-field="groups"]')!.textContent
    ).toBe('none');
  });

  it.each([
    ['loading', 'Loading…'],
    ['ready', 'Up to date'],
    ['stale', 'Out of date: the last refresh failed'],
    ['refused', 'Refused: log in again'],
    ['unavailable', 'Unavailable'],
    ['absent', 'Not running under JupyterHub']
  ] as const)(
    'says the status %s in words, data-status the same',
    (status, words) => {
      const model = new FakeGroups(status);
      open(model);
      const node = report!.node.querySelector('[data-field="status"] span')!;
      expect(node.getAttribute('data-status')).toBe(status);
      expect(node.textContent).toBe(words);
    }
  );

  it('lays out each group name in its own direction (dir=auto), also when filtered', () => {
    const rtl = 'مشروع vox 2';
    open(ready(['vox', rtl]));
    const items = () =>
      Array.from(
        report!.node.querySelectorAll<HTMLLIElement>(
          '.jp-HubGroupsReport-groups li'
        )
      );
    expect(items().map(li => [li.textContent, li.dir])).toEqual([
      ['vox', 'auto'],
      [rtl, 'auto']
    ]);
    report!.dispose();
    open(ready([rtl, ...groupNames(20)]));
    type('مشروع');
    expect(items().map(li => [li.textContent, li.dir])).toEqual([
      [rtl, 'auto']
    ]);
  });

  it('renders group names with markup as text, also when filtered', () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    open(ready([...groupNames(20), hostile]));
    type('<img');
    expect(listed()).toEqual([hostile]);
    expect(report!.node.querySelector('img')).toBeNull();
  });

  describe('spawn problems', () => {
    const REPLACED =
      "The hub's pre_spawn_hook was replaced after configure_hub: courses get no kernels.";
    const section = () =>
      report!.node.querySelector<HTMLElement>('.jp-HubGroupsReport-problems');
    const problems = () =>
      Array.from(section()?.querySelectorAll('li') ?? []).map(li => ({
        text: li.textContent,
        dir: li.dir
      }));
    const withProblems = (sentences: string[]) => {
      const model = ready(['vox']);
      model.spawnProblems = sentences;
      return model;
    };

    it('has no section without problems', () => {
      open(ready(['vox']));
      expect(section()).toBeNull();
      expect(report!.node.querySelector('[role="alert"]')).toBeNull();
    });

    it('shows them first, as a warning, each sentence in its own direction', () => {
      const rtl = 'خطای شروع سرور';
      open(withProblems([REPLACED, rtl]));
      expect(report!.node.firstElementChild).toBe(section());
      expect(section()!.getAttribute('role')).toBe('alert');
      expect(section()!.textContent).toContain(
        'The hub reported problems when this server started'
      );
      expect(problems()).toEqual([
        { text: REPLACED, dir: 'auto' },
        { text: rtl, dir: 'auto' }
      ]);
      // the rest of the report is still there
      expect(listed()).toEqual(['vox']);
    });

    it('renders a sentence with markup as text', () => {
      const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
      open(withProblems([hostile]));
      expect(problems()).toEqual([{ text: hostile, dir: 'auto' }]);
      expect(section()!.querySelector('img, b')).toBeNull();
      expect(report!.node.querySelector('img')).toBeNull();
      expect((window as any).__pwned).toBeUndefined();
    });

    it('follows the model: appears, changes and goes; unchanged across refreshes', () => {
      const model = ready(['vox']);
      open(model);
      expect(section()).toBeNull();

      model.spawnProblems = [REPLACED];
      model.changed.emit();
      expect(problems().map(p => p.text)).toEqual([REPLACED]);
      const item = section()!.querySelector('li');

      // A refresh with the same problems leaves the alert alone (a screen
      // reader would say it again).
      model.answer('ready', ['vox', 'mighty']);
      expect(section()!.querySelector('li')).toBe(item);
      expect(listed()).toEqual(['mighty', 'vox']);

      model.spawnProblems = [REPLACED, 'A profile undid the arguments.'];
      model.changed.emit();
      expect(problems().map(p => p.text)).toEqual([
        REPLACED,
        'A profile undid the arguments.'
      ]);

      model.spawnProblems = [];
      model.changed.emit();
      expect(section()).toBeNull();
    });
  });

  describe('groups joined since this server started', () => {
    const row = () =>
      report!.node.querySelector<HTMLElement>(
        '[data-field="joined-since-start"]'
      );

    it('is not there when none', () => {
      open(ready(['vox']));
      expect(row()).toBeNull();
    });

    it('names them, each as text in its own direction, and says a restart brings their cards and kernels', () => {
      const model = ready(['vox', 'mighty', 'مشروع 2', '<b>x</b>']);
      model.joinedSinceStart = ['<b>x</b>', 'mighty', 'مشروع 2'];
      open(model);
      const items = Array.from(row()!.querySelectorAll('li'));
      expect(items.map(li => [li.textContent, li.dir])).toEqual([
        ['<b>x</b>', 'auto'],
        ['mighty', 'auto'],
        ['مشروع 2', 'auto']
      ]);
      expect(row()!.querySelector('b')).toBeNull();
      expect(row()!.previousElementSibling!.textContent).toBe(
        'Joined since this server started'
      );
      expect(row()!.textContent).toContain('Restart your server');
      expect(row()!.textContent).toContain("project's shared server");
      // all the groups are still listed as groups
      expect(listed()).toEqual(['<b>x</b>', 'mighty', 'vox', 'مشروع 2']);
    });

    it('follows the model', () => {
      const model = ready(['vox']);
      open(model);
      model.joinedSinceStart = ['mighty'];
      model.answer('ready', ['vox', 'mighty']);
      expect(row()!.querySelector('li')!.textContent).toBe('mighty');
      model.joinedSinceStart = [];
      model.answer('ready', ['vox']);
      expect(row()).toBeNull();
    });
  });

  it('says everything through the translation bundle', () => {
    // Every translated string comes out marked.
    const marked = new Gettext({ stringsPrefix: '¶' });
    const model = ready(groupNames(30));
    model.spawnProblems = ['A problem the hub found.'];
    model.joinedSinceStart = ['report-g01'];
    report = new HubGroupsReport(model, marked);
    Widget.attach(report, document.body);
    for (const dt of Array.from(report.node.querySelectorAll('dt'))) {
      expect(dt.textContent).toMatch(/^¶/);
    }
    expect(count()).toBe('¶30 groups');
    expect(filter()!.placeholder).toMatch(/^¶/);
    expect(filter()!.getAttribute('aria-label')).toMatch(/^¶/);
    expect(
      report.node
        .querySelector('.jp-HubGroupsReport-groups')!
        .getAttribute('aria-label')
    ).toMatch(/^¶/);
    type('g1');
    expect(count()).toBe('¶10 of 30 shown');
    expect(report.node.querySelector('[data-status]')!.textContent).toMatch(
      /^¶/
    );
    // the section's own words are translated, the hub's sentence is not
    for (const p of Array.from(
      report.node.querySelectorAll('.jp-HubGroupsReport-problems p')
    )) {
      expect(p.textContent).toMatch(/^¶/);
    }
    expect(
      report.node.querySelector('.jp-HubGroupsReport-problems li')!.textContent
    ).toBe('A problem the hub found.');
    expect(
      report.node.querySelector('.jp-HubGroupsReport-joinedHint')!.textContent
    ).toMatch(/^¶/);
  });
});
