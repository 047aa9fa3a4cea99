import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSP_COLUMNS,
  detectLayout,
  gatherCrimeFiles,
  PFA_COLUMNS,
  STREET_COLUMNS,
} from './crime-files.js';
import { parsePeriodEnd } from './recorded-crime.js';

describe('telling a crime file’s layout from its header', () => {
  it('knows the street, force-area and CSP layouts, whatever the column order', () => {
    expect(detectLayout([...STREET_COLUMNS], 'a.csv')).toBe('street');
    expect(detectLayout([...PFA_COLUMNS].reverse(), 'b.csv')).toBe('pfa');
    expect(detectLayout([...CSP_COLUMNS, 'Notes'], 'c.csv')).toBe('csp');
  });

  it('names the columns the closest layout lacks', () => {
    const stopAndSearch = ['Type', 'Date', 'Latitude', 'Longitude', 'Gender'];
    expect(() => detectLayout(stopAndSearch, 'search.csv')).toThrow(
      'search.csv, line 1: the header is not a layout Saferplan knows: as a data.police.uk street-level file it lacks the columns "Crime ID", "Month"',
    );
    expect(() => detectLayout(['12 months ending', 'PFA', 'Region', 'Offence'], 'pfa.csv')).toThrow(
      'as the recorded crime by police force area table it lacks the column "Rolling year total number of offences"',
    );
  });
});

describe('reading the headers of the files gathered', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crime-header-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a byte-order mark and CRLF header, and each file of a folder by its own header', async () => {
    const folder = join(dir, 'mixed');
    await mkdir(folder);
    const street = `\uFEFF${STREET_COLUMNS.join(',')}\r\n,2021-03,Kent Police\r\n`;
    await writeFile(join(folder, '2021-03-kent-street.csv'), street);
    await writeFile(join(folder, '2021-04-kent-street.csv'), street);
    await writeFile(join(folder, 'rec-crime-pfa.csv'), `"${PFA_COLUMNS.join('","')}"\n`);
    const gathered = await gatherCrimeFiles([folder]);
    expect(gathered.files.map((f) => [f.name.slice(folder.length), f.layout, f.bytes])).toEqual([
      ['/2021-03-kent-street.csv', 'street', Buffer.byteLength(street)],
      ['/2021-04-kent-street.csv', 'street', Buffer.byteLength(street)],
      ['/rec-crime-pfa.csv', 'pfa', PFA_COLUMNS.join('","').length + 3],
    ]);
    expect(gathered.files[0]?.header).toEqual([...STREET_COLUMNS]);
  });

  it('names an empty file, and a first line too long to be a header', async () => {
    await writeFile(join(dir, 'empty.csv'), '');
    await expect(gatherCrimeFiles([join(dir, 'empty.csv')])).rejects.toThrow(
      'empty.csv, line 1: the file is empty',
    );
    await writeFile(join(dir, 'long.csv'), 'x'.repeat(70_000));
    await expect(gatherCrimeFiles([join(dir, 'long.csv')])).rejects.toThrow(
      'long.csv, line 1: the first line is too long to be a header',
    );
  });
});

describe('reading a 12 months ending date', () => {
  it('reads dd-mm-yyyy as the quarter’s last day, the stray 30-12-2017 included', () => {
    expect(parsePeriodEnd('31-03-2018')).toBe('2018-03-31');
    expect(parsePeriodEnd('30-06-2007')).toBe('2007-06-30');
    expect(parsePeriodEnd('30-12-2017')).toBe('2017-12-31');
  });

  it('refuses dates that end no quarter', () => {
    expect(() => parsePeriodEnd('15-02-2019')).toThrow('must be the end of a quarter');
    expect(() => parsePeriodEnd('15-03-2019')).toThrow(
      'must be the last day of a quarter, like 31-03-2019',
    );
    expect(() => parsePeriodEnd('2019-03-31')).toThrow('must be a date written dd-mm-yyyy');
  });
});

describe('unpacking a zip archive of crime files', () => {
  const header = `${STREET_COLUMNS.join(',')}\n`;
  const row =
    ',2021-03,Kent Police,Kent Police,0.7,51.3,On or near X,E01024530,Swale 001A,Burglary,,\n';
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crime-zip-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function archive(name: string, entries: Record<string, string>): Promise<string> {
    const zip = new JSZip();
    for (const [entry, text] of Object.entries(entries)) zip.file(entry, text);
    const path = join(dir, name);
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    return path;
  }

  it('reads the CSVs inside, as people name them', async () => {
    const path = await archive('kent.zip', { '2021-03/2021-03-kent-street.csv': header + row });
    const gathered = await gatherCrimeFiles([{ path, name: 'kent.zip' }]);
    try {
      expect(gathered.files.map((f) => [f.name, f.layout])).toEqual([
        ['kent.zip: 2021-03/2021-03-kent-street.csv', 'street'],
      ]);
    } finally {
      await gathered.cleanup();
    }
  });

  it('refuses an entry compressed far more than any crime file, before writing it', async () => {
    const path = await archive('bomb.zip', { 'street.csv': header + ' '.repeat(20_000_000) });
    await expect(gatherCrimeFiles([{ path, name: 'bomb.zip' }])).rejects.toThrow(
      'bomb.zip: street.csv: it is compressed more than 100 times, which no crime file is: the archive looks made to fill the disk',
    );
  });

  it('refuses archives that would unpack to more than the disk has room for', async () => {
    // Rows that differ, as real ones do, so the entries compress as little as a real file.
    const text =
      header +
      Array.from({ length: 30_000 }, (_, i) =>
        row.replace('0.7,51.3', `0.${(i * 7919) % 100_000},51.${(i * 104_729) % 100_000}`),
      ).join('');
    const a = await archive('a.zip', { 'a-street.csv': text });
    const b = await archive('b.zip', { 'b-street.csv': text });
    // Room for the first archive's entry, not for the second's as well.
    const room = Math.ceil(text.length * 1.5);
    const mb = (bytes: number) => `${Math.ceil(bytes / 1024 ** 2)} MB`;
    await expect(
      gatherCrimeFiles(
        [
          { path: a, name: 'a.zip' },
          { path: b, name: 'b.zip' },
        ],
        { unpackRoomBytes: room },
      ),
    ).rejects.toThrow(
      `b.zip: b-street.csv: it unpacks to ${mb(text.length)}, more than the ${mb(room - text.length)} left to unpack into: free some disk space, or import fewer months at a time`,
    );
  });
});
