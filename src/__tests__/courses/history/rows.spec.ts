import {
  csvCell,
  csvFileName,
  filterEvents,
  IHistoryEvent,
  readEvents,
  toCsv
} from '../../../courses/history/rows';

const EVENTS: IHistoryEvent[] = [
  {
    at: '2026-12-01T09:05:00+00:00',
    kind: 'removed',
    user: 'mmuster',
    by: 'prof'
  },
  { at: '2026-12-01T09:04:00+00:00', kind: 'added', user: 'Alice', by: 'prof' },
  {
    at: '2026-12-01T09:03:00+00:00',
    kind: 'declined',
    user: 'alice',
    by: 'ta'
  },
  {
    at: '2026-12-01T09:02:00+00:00',
    kind: 'approved',
    user: 'mmuster2',
    by: null
  },
  {
    at: '2026-12-01T09:01:00+00:00',
    kind: 'asked',
    user: 'mmuster2',
    by: 'mmuster2'
  }
];

describe('readEvents', () => {
  it('keeps well-formed events in their order, drops the rest', () => {
    const body = {
      events: [
        { at: 'x', kind: 'added', user: 'a', by: 'prof', reason: 'no' },
        { at: 'x', kind: 'hacked', user: 'a', by: 'prof' },
        { at: 'x', kind: 'added', user: 3, by: 'prof' },
        null,
        { at: 'x', kind: 'approved', user: 'b', by: 7 }
      ]
    };
    expect(readEvents(body)).toEqual([
      { at: 'x', kind: 'added', user: 'a', by: 'prof', reason: 'no' },
      { at: 'x', kind: 'approved', user: 'b', by: null, reason: null }
    ]);
    expect(readEvents({})).toEqual([]);
    expect(readEvents(null)).toEqual([]);
  });
});

describe('filterEvents', () => {
  it('is everything without a filter', () => {
    expect(filterEvents(EVENTS, { person: '', kind: '' })).toEqual(EVENTS);
  });

  it('finds a person by part of their name, any case, as who or by whom', () => {
    const users = (person: string) =>
      filterEvents(EVENTS, { person, kind: '' }).map(
        e => `${e.kind}:${e.user}`
      );
    expect(users(' ALI ')).toEqual(['added:Alice', 'declined:alice']);
    expect(users('mmuster2')).toEqual(['approved:mmuster2', 'asked:mmuster2']);
    expect(users('ta')).toEqual(['declined:alice']);
    expect(users('nobody')).toEqual([]);
  });

  it('narrows by kind, and by both', () => {
    expect(filterEvents(EVENTS, { person: '', kind: 'added' })).toEqual([
      EVENTS[1]
    ]);
    expect(
      filterEvents(EVENTS, { person: 'mmuster', kind: 'removed' })
    ).toEqual([EVENTS[0]]);
    expect(filterEvents(EVENTS, { person: 'alice', kind: 'approved' })).toEqual(
      []
    );
  });
});

describe('CSV', () => {
  it('makes cells that start a formula plain text', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('')).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x",a,"b")')).toBe(
      '"\'=HYPERLINK(""x"",a,""b"")"'
    );
  });

  it('is one record per row, CRLF between, a header first', () => {
    const text = toCsv(
      ['When', 'Who'],
      [
        ['2026-12-01T09:05:00+00:00', '=cmd|"/C calc"!A0'],
        ['2026-12-01T09:04:00+00:00', '<img src=x onerror=alert(1)>']
      ]
    );
    expect(text).toBe(
      'When,Who\r\n' +
        '2026-12-01T09:05:00+00:00,"\'=cmd|""/C calc""!A0"\r\n' +
        '2026-12-01T09:04:00+00:00,<img src=x onerror=alert(1)>\r\n'
    );
  });

  it('names the file after the course and the day, safely', () => {
    const day = new Date('2026-12-06T22:00:00Z');
    expect(csvFileName('Class1234_Semester02', day)).toBe(
      'history-Class1234_Semester02-2026-12-06.csv'
    );
    expect(csvFileName('../a b/Grüße', day)).toBe(
      'history-.._a_b_Grüße-2026-12-06.csv'
    );
  });
});
