import {
  chunks,
  foldNames,
  mergePreviews,
  nameMatches,
  namesFromCsv,
  namesFromText,
  parseCsv
} from '../../../courses/members/names';

describe('parseCsv', () => {
  it('reads rows and fields, with CRLF, LF and CR line ends', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f\rg,h')).toEqual({
      rows: [
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
        ['g', 'h']
      ],
      separator: ','
    });
  });

  it('drops a byte-order mark', () => {
    const { rows } = parseCsv('\uFEFFusername\nalice');
    expect(rows[0][0]).toBe('username');
  });

  it('finds ; (a German Excel) and tab separators', () => {
    expect(parseCsv('username;email\nalice;a@x').separator).toBe(';');
    expect(parseCsv('username\temail\nalice\ta@x').rows[1]).toEqual([
      'alice',
      'a@x'
    ]);
  });

  it('counts separators outside quotes only', () => {
    const { rows, separator } = parseCsv(
      '"Mustermann, Maxime";mmuster\n"Doe, J";jdoe'
    );
    expect(separator).toBe(';');
    expect(rows).toEqual([
      ['Mustermann, Maxime', 'mmuster'],
      ['Doe, J', 'jdoe']
    ]);
  });

  it('reads quoted fields with doubled quotes, separators and line breaks', () => {
    const { rows } = parseCsv('user,note\n"o""brien","a, b\nc"\n');
    expect(rows).toEqual([
      ['user', 'note'],
      ['o"brien', 'a, b\nc']
    ]);
  });

  it('ignores blank lines and rows of blanks', () => {
    const { rows } = parseCsv(
      '\n\nusername,email\r\n\r\nalice,a@x\n  \n , \nbob,\n\n'
    );
    expect(rows.map(r => r[0])).toEqual(['username', 'alice', 'bob']);
  });

  it('has no separator for one column', () => {
    expect(parseCsv('alice\nbob')).toEqual({
      rows: [['alice'], ['bob']],
      separator: null
    });
  });

  it('reads nothing from nothing', () => {
    expect(parseCsv('')).toEqual({ rows: [], separator: null });
    expect(parseCsv('\uFEFF\r\n').rows).toEqual([]);
  });
});

describe('namesFromCsv', () => {
  it.each([
    ['username'],
    ['Username'],
    ['User Name'],
    ['user_name'],
    ['user'],
    ['login'],
    ['name'],
    [' USERNAME ']
  ])('takes the column headed %p', header => {
    const read = namesFromCsv(`email,${header},group\nx@y,alice,g\nz@y,bob,g`);
    expect(read.names).toEqual(['alice', 'bob']);
    expect(read.column).toBe(header.trim());
  });

  it('prefers username over user, login and name', () => {
    const read = namesFromCsv(
      'name,login,user,username\nMaxime M,mm1,mm2,mmuster'
    );
    expect(read.names).toEqual(['mmuster']);
    expect(read.column).toBe('username');
    expect(namesFromCsv('name,login\nMaxime,mmuster').names).toEqual([
      'mmuster'
    ]);
  });

  it('takes the first column when there is no header', () => {
    const read = namesFromCsv('alice,Alice A\nbob,Bob B\n');
    expect(read.names).toEqual(['alice', 'bob']);
    expect(read.column).toBeNull();
  });

  it('reads an export with BOM, ;, CRLF, quotes, blanks and duplicates', () => {
    const text =
      '\uFEFF"Name";"Username";"E-Mail"\r\n' +
      '"Mustermann, Maxime";"mmuster";"m@x"\r\n' +
      '\r\n' +
      '"Alice ""Al"" A";" alice ";"a@x"\r\n' +
      '"Again";"MMuster";"m2@x"\r\n' +
      '"No name";"";"n@x"\r\n';
    expect(namesFromCsv(text)).toEqual({
      names: ['mmuster', 'alice'],
      duplicates: 1,
      tooLong: [],
      column: 'Username'
    });
  });

  it('keeps quotes and commas inside a quoted name', () => {
    const read = namesFromCsv('username\n"a""b"\n"c,d"\n');
    expect(read.names).toEqual(['a"b', 'c,d']);
  });

  it('treats a row too short for the column as blank', () => {
    expect(namesFromCsv('email,username\nx@y\nz@y,bob').names).toEqual(['bob']);
  });

  it('reads nothing from a header alone', () => {
    expect(namesFromCsv('username\r\n').names).toEqual([]);
  });
});

describe('namesFromText', () => {
  it('splits on line breaks, commas, semicolons, tabs and spaces', () => {
    expect(
      namesFromText('alice, bob;carol\tdave  erin\r\nfrank\n\ngrace').names
    ).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']);
  });

  it('keeps a quoted name whole, with "" for a quote', () => {
    expect(namesFromText('"de la cruz", "o""neil";x').names).toEqual([
      'de la cruz',
      'o"neil',
      'x'
    ]);
  });

  it('trims whitespace, including no-break spaces', () => {
    expect(namesFromText('\u00a0alice\u00a0\n  bob  ').names).toEqual([
      'alice',
      'bob'
    ]);
  });

  it('folds duplicates without case and counts them', () => {
    const read = namesFromText('alice\nAlice\nALICE\nbob\nalice');
    expect(read.names).toEqual(['alice', 'bob']);
    expect(read.duplicates).toBe(3);
  });

  it('reads a pasted table with a header as a CSV: the name column only', () => {
    const read = namesFromText(
      'Name\tUsername\tEmail\nMaxime Mustermann\tmmuster\tm@x\nAlice A\talice\ta@x\n'
    );
    expect(read.names).toEqual(['mmuster', 'alice']);
    expect(read.column).toBe('Username');
  });

  it('leaves out a one-column header', () => {
    const read = namesFromText('\uFEFFusername\r\nalice\r\nbob\r\n');
    expect(read.names).toEqual(['alice', 'bob']);
    expect(read.column).toBe('username');
  });

  it('reads a list with commas as names, not as a table', () => {
    const read = namesFromText('alice,bob\ncarol,dave');
    expect(read.names).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(read.column).toBeNull();
  });

  it('reads 300 names of a first day of term', () => {
    const names = Array.from({ length: 300 }, (_, i) => `student${i}`);
    const read = namesFromText(names.join('\n'));
    expect(read.names).toEqual(names);
  });

  it('reads nothing from blanks', () => {
    expect(namesFromText(' \n\t,;\r\n').names).toEqual([]);
  });
});

describe('foldNames', () => {
  it('sets aside names too long to send (the server refuses a whole request with one)', () => {
    const long = 'x'.repeat(256);
    const ok = 'y'.repeat(255);
    const read = foldNames([long, ok, ' ', long]);
    expect(read.names).toEqual([ok]);
    expect(read.tooLong).toEqual([long]);
    expect(read.duplicates).toBe(1);
  });

  it('keeps the first spelling', () => {
    expect(foldNames(['Zoë', 'zoë', 'ZOË']).names).toEqual(['Zoë']);
  });
});

describe('chunks and mergePreviews', () => {
  it('splits a long list into requests and puts previews back together', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
    const merged = mergePreviews(
      [
        {
          new: ['a'],
          member: ['b'],
          unknown: [],
          invalid: ['a/b'],
          problems: [{ name: 'a/b', error: 'invalid', message: 'no /' }]
        },
        { new: ['c'], member: [], unknown: ['d'], invalid: ['v-collab'] },
        {
          new: [],
          member: [],
          unknown: [],
          invalid: ['w-collab'],
          problems: [
            { name: 'w-collab', error: 'collaboration-account', message: '' }
          ]
        }
      ],
      ['x'.repeat(300)]
    );
    expect(merged).toEqual({
      new: ['a', 'c'],
      member: ['b'],
      unknown: ['d'],
      invalid: ['a/b', 'v-collab', 'w-collab', 'x'.repeat(300)],
      // why, from every part
      problems: [
        { name: 'a/b', error: 'invalid', message: 'no /' },
        { name: 'w-collab', error: 'collaboration-account', message: '' }
      ]
    });
  });
});

describe('nameMatches', () => {
  it('matches every word of the filter, without case', () => {
    expect(nameMatches('mmuster2', '')).toBe(true);
    expect(nameMatches('mmuster2', 'MUST')).toBe(true);
    expect(nameMatches('mmuster2', 'mm 2')).toBe(true);
    expect(nameMatches('mmuster2', 'mm 3')).toBe(false);
  });
});
