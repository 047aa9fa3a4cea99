import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { NotFoundError } from '../../src/core/errors.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths, monthLabel } from '../../src/domain/periods.js';
import { totalNotes, type CountyComparison } from '../../src/features/county/county.service.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import {
  PASSWORD,
  actorFor,
  fieldErrorsOf,
  member,
  partnership,
  user,
} from '../helpers/factories.js';

let t: TestApp;
let countyViewer: Actor;
let ashbyCoordinator: Actor;
let brookLead: Actor;
let wellsCoordinator: Actor;
let countyClient: Client;
let ashbyClient: Client;
let wellsClient: Client;
const thisMonth = nowIso().slice(0, 7);
const nextMonth = addMonths(thisMonth, 1);

/** `count` months from `from`, each with the same figure. */
function months(from: string, count: number, value: string): Record<string, string> {
  return Object.fromEntries([...Array(count).keys()].map((i) => [addMonths(from, i), value]));
}

/** A district indicator made and filled in through the services, as its coordinator would. */
async function indicator(
  slug: string,
  values: { name: string; unit: string; polarity?: string; noun?: string },
  figures: Record<string, string> = {},
  totals: Record<string, string> = {},
) {
  const s = t.services.indicators;
  const made = await s.create(COMMAND_LINE, slug, { polarity: 'increase-bad', ...values });
  if (Object.keys(figures).length) await s.saveMonths(COMMAND_LINE, slug, made.id, figures);
  for (const [endMonth, value] of Object.entries(totals))
    await s.setTotal(COMMAND_LINE, slug, made.id, { endMonth, value });
}

/** The table as the page and the command line read it: one line per district, then the total. */
function table(c: CountyComparison): string[][] {
  const rows = c.rows.map((r) => [
    r.district.name,
    r.comparison.previous.text,
    r.comparison.current.text,
    r.comparison.change.text,
    r.direction ?? '',
  ]);
  const { total } = c;
  if (total.kind === 'sum') {
    rows.push([
      'Total',
      total.previous.text,
      total.current.text,
      total.change.text,
      total.direction ?? '',
    ]);
  }
  return rows;
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'northshire', name: 'Northshire County CSP', type: 'county' });
  for (const [slug, name] of [
    ['ashby', 'Ashby CSP'],
    ['brook', 'Brook CSP'],
    ['carrow', 'Carrow CSP'],
  ])
    await partnership(s, { slug, name, parent: 'northshire' });
  await partnership(s, { slug: 'westmoor', name: 'Westmoor County CSP', type: 'county' });
  await partnership(s, { slug: 'wells', name: 'Wells CSP', parent: 'westmoor' });

  const people: Actor[] = [];
  const clients: Client[] = [];
  for (const roles of [
    [['northshire', 'viewer']],
    [['ashby', 'coordinator']],
    [
      ['brook', 'lead'],
      ['northshire', 'viewer'],
    ],
    [['wells', 'coordinator']],
  ] as const) {
    const u = await user(s);
    for (const [slug, role] of roles) await member(s, slug, u.email, role);
    people.push(await actorFor(s, u.id));
    clients.push(await signedIn(t.app, u.email, PASSWORD));
  }
  [countyViewer, ashbyCoordinator, brookLead, wellsCoordinator] = people as [
    Actor,
    Actor,
    Actor,
    Actor,
  ];
  [countyClient, ashbyClient, , wellsClient] = clients as [Client, Client, Client, Client];

  // Kept by all three districts, written three ways. Carrow's 12-month total to March 2023 is
  // what its source publishes and wins over its months, which add up to 2,400.
  const asb = { unit: 'count', noun: 'incidents' };
  await indicator(
    'ashby',
    { name: 'ASB incidents', ...asb },
    {
      ...months('2022-04', 12, '100'),
      ...months('2023-04', 12, '90'),
      ...months('2024-04', 3, '95'),
    },
  );
  await indicator(
    'brook',
    { name: 'ASB Incidents', ...asb },
    {
      ...months('2022-04', 12, '50'),
      ...months('2023-04', 12, '60'),
      '2024-04': '55',
    },
  );
  await indicator('carrow', { name: '  asb   incidents ', ...asb }, months('2022-04', 24, '200'), {
    '2023-03': '2,410',
  });

  // Carrow keeps this one as a rate: not comparable with the others' counts.
  await indicator('ashby', { name: 'Violence with injury', unit: 'count' });
  await indicator('brook', { name: 'Violence with injury', unit: 'count' });
  await indicator('carrow', { name: 'Violence with injury', unit: 'rate' });

  // The two districts disagree on what an increase means, and on what they count.
  await indicator(
    'ashby',
    { name: 'Domestic abuse reports', unit: 'count', polarity: 'increase-good', noun: 'reports' },
    { ...months('2022-04', 12, '8'), ...months('2023-04', 12, '10') },
  );
  await indicator(
    'brook',
    { name: 'Domestic abuse reports', unit: 'count', noun: 'incidents' },
    months('2022-04', 24, '5'),
  );

  await indicator(
    'ashby',
    { name: 'Repeat victims per 1,000', unit: 'rate' },
    {
      ...months('2022-04', 12, '0.5'),
      ...months('2023-04', 12, '0.25'),
    },
  );
  await indicator(
    'brook',
    { name: 'Repeat victims per 1,000', unit: 'rate' },
    {
      ...months('2022-04', 24, '1.125'),
    },
  );
  await indicator(
    'ashby',
    { name: 'Victims satisfied', unit: 'percentage', polarity: 'increase-good' },
    {},
    {
      '2023-03': '78',
      '2024-03': '80.5',
    },
  );
  await indicator(
    'brook',
    { name: 'Victims satisfied', unit: 'percentage', polarity: 'increase-good' },
    {},
    {
      '2023-03': '70',
      '2024-03': '70',
    },
  );
  // Kept by one district only: not shared.
  await indicator('ashby', { name: 'Fly-tipping', unit: 'count' });
  // The other county's district keeps the same indicator: never counted in Northshire's.
  await indicator('wells', { name: 'ASB incidents', ...asb }, months('2022-04', 24, '7'));
});
afterAll(() => t.close());

describe('county view of district indicators', () => {
  it('lists the indicators two or more districts keep under the same name and unit', async () => {
    const shared = await t.services.county.shared(countyViewer, 'northshire');
    expect(shared.districtCount).toBe(3);
    expect(
      shared.indicators.map((i) => [i.name, i.unit, i.districts.map((d) => d.slug).join(' ')]),
    ).toEqual([
      ['ASB incidents', 'count', 'ashby brook carrow'],
      ['Domestic abuse reports', 'count', 'ashby brook'],
      ['Repeat victims per 1,000', 'rate', 'ashby brook'],
      ['Victims satisfied', 'percentage', 'ashby brook'],
      ['Violence with injury', 'count', 'ashby brook'],
    ]);
  });

  it('adds the districts’ counts exactly, defaulting to the latest year every district has whole', async () => {
    const c = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'asb incidents',
      unit: 'count',
    });
    expect(c.end).toBe('2024-03');
    expect(c.endChosen).toBe('latest-complete');
    expect(c.previousWindow).toEqual({ from: '2022-04', to: '2023-03' });
    expect(table(c)).toEqual([
      ['Ashby CSP', '1,200', '1,080', '-10.0% or 120 incident decrease', 'better'],
      ['Brook CSP', '600', '720', '20.0% or 120 incident increase', 'worse'],
      ['Carrow CSP', '2,410', '2,400', '-0.4% or 10 incident decrease', 'better'],
      ['Total', '4,210', '4,200', '-0.2% or 10 incident decrease', 'better'],
    ]);
    expect(c.total).toMatchObject({
      previous: { total: '4210' },
      current: { total: '4200' },
      change: { change: '-10', percent: '-0.2' },
    });
    expect(totalNotes(c)).toEqual([]);
    expect(c.otherUnits).toEqual([]);
    expect(c.without).toEqual([]);
  });

  it('gives no total for a year a district lacks months of, and names the district', async () => {
    const c = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'ASB incidents',
      unit: 'count',
      end: '2024-04',
    });
    expect(c.endChosen).toBe('given');
    expect(table(c)).toEqual([
      ['Ashby CSP', '1,190', '1,085', '-8.8% or 105 incident decrease', 'better'],
      ['Brook CSP', '610', '715', '17.2% or 105 incident increase', 'worse'],
      ['Carrow CSP', '2,400', 'incomplete (11 of 12 months)', 'incomplete (11 of 12 months)', ''],
      ['Total', '4,200', 'incomplete (1 district short of months)', 'incomplete', ''],
    ]);
    expect(totalNotes(c)).toEqual([
      'There is no total for the current rolling year (May 23 – end Apr 24), since a total needs every month of every district: Carrow CSP has 11 of 12 months.',
    ]);
  });

  it('lists districts that keep the indicator in another unit as not comparable', async () => {
    const c = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'Violence with injury',
      unit: 'count',
    });
    expect(c.rows.map((r) => r.district.slug)).toEqual(['ashby', 'brook']);
    expect(c.otherUnits).toEqual([{ slug: 'carrow', name: 'Carrow CSP', unit: 'rate' }]);
    // No district has a figure yet: the rolling year to this month, all incomplete.
    expect(c.endChosen).toBe('no-figures');
    expect(c.end).toBe(thisMonth);
    // Carrow's rate alone is not shared.
    await expect(
      t.services.county.comparison(countyViewer, 'northshire', {
        name: 'Violence with injury',
        unit: 'rate',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives the total no direction when districts disagree on what an increase means', async () => {
    const c = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'Domestic abuse reports',
      unit: 'count',
    });
    expect(table(c)).toEqual([
      ['Ashby CSP', '96', '120', '25.0% or 24 report increase', 'better'],
      ['Brook CSP', '60', '60', 'no change', 'no-change'],
      // Nouns differ too: the total's sentence names none.
      ['Total', '156', '180', '15.4% or 24 increase', ''],
    ]);
    expect(c.total).toMatchObject({ polarity: null, noun: null, direction: null });
    expect(totalNotes(c)).toEqual([
      'The districts differ on what an increase means (Ashby CSP: an increase is good; Brook CSP: an increase is bad), so the total has no direction.',
      'The districts name what they count differently (“reports”, “incidents”), so the total’s change names nothing.',
    ]);
    expect(c.without).toEqual([{ slug: 'carrow', name: 'Carrow CSP' }]);
  });

  it('adds up no rates or percentages, and says why', async () => {
    const rate = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'Repeat victims per 1,000',
      unit: 'rate',
    });
    expect(table(rate)).toEqual([
      ['Ashby CSP', '6', '3', '-50.0% or 3 decrease', 'better'],
      ['Brook CSP', '13.5', '13.5', 'no change', 'no-change'],
    ]);
    expect(rate.total).toEqual({ kind: 'not-added', unit: 'rate' });
    expect(totalNotes(rate)).toEqual([
      'There is no total: a rate, such as one per 1,000 people, cannot be added up across districts whose populations differ.',
    ]);
    const percentage = await t.services.county.comparison(countyViewer, 'northshire', {
      name: 'Victims satisfied',
      unit: 'percentage',
    });
    expect(percentage.end).toBe('2024-03');
    expect(table(percentage)).toEqual([
      ['Ashby CSP', '78%', '80.5%', '3.2% or 2.5 percentage point increase', 'better'],
      ['Brook CSP', '70%', '70%', 'no change', 'no-change'],
    ]);
    expect(totalNotes(percentage)).toEqual([
      'There is no total: percentages cannot be added up across districts.',
    ]);
  });

  it('refuses a rolling year that ends in the future, or a month that is not one', async () => {
    const ask = (end: string) =>
      t.services.county.comparison(countyViewer, 'northshire', {
        name: 'ASB incidents',
        unit: 'count',
        end,
      });
    expect(await fieldErrorsOf(ask(nextMonth))).toEqual({
      end: `The rolling year must not end in the future: enter ${monthLabel(thisMonth)} or an earlier month`,
    });
    expect(await fieldErrorsOf(ask('2024-13'))).toEqual({
      end: 'Month must be between 01 and 12',
    });
    expect((await ask(thisMonth)).end).toBe(thisMonth);
  });

  it('shows the districts’ figures only to readers of the county, and only a county has the view', async () => {
    const s = t.services.county;
    // A county viewer reads the districts' figures here, though not the districts themselves.
    await expect(t.services.indicators.list(countyViewer, 'ashby')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // A district member is no reader of the county, unless also a member of it.
    await expect(s.shared(ashbyCoordinator, 'northshire')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      s.comparison(ashbyCoordinator, 'northshire', { name: 'ASB incidents', unit: 'count' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await s.shared(brookLead, 'northshire')).indicators).toHaveLength(5);
    // Another county's district member: not found, as for a county that does not exist.
    await expect(s.shared(wellsCoordinator, 'northshire')).rejects.toBeInstanceOf(NotFoundError);
    // A district has no county view, whoever asks.
    await expect(s.shared(ashbyCoordinator, 'ashby')).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.shared(COMMAND_LINE, 'ashby')).rejects.toBeInstanceOf(NotFoundError);
    // Westmoor's district keeps ASB incidents too, but only Westmoor's view shows it.
    const westmoor = await s.shared(COMMAND_LINE, 'westmoor');
    expect(westmoor.indicators).toEqual([]);
  });
});

describe('county view pages', () => {
  const list = '/partnerships/northshire/county-indicators';
  const asb = `${list}/compare?name=ASB+incidents&unit=count`;

  it('links from the county’s pages to a list of shared indicators, and from there to each', async () => {
    const overview = await countyClient.get('/partnerships/northshire');
    expect(overview.body).toContain(`href="${list}"`);
    const indicators = await countyClient.get('/partnerships/northshire/indicators');
    expect(indicators.body).toContain(`href="${list}"`);
    // A district's pages have no such link.
    const district = await ashbyClient.get('/partnerships/ashby');
    expect(district.body).not.toContain('county-indicators');

    const page = await countyClient.get(list);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a class="govuk-link" href="${asb.replace('&', '&amp;')}">`);
    expect(page.body).toContain('3 of 3');
    expect(page.body).toContain('Ashby CSP, Brook CSP, Carrow CSP');
    expect(page.body).not.toContain('Fly-tipping');
  });

  it('shows the table with rolling-year headings, the total and direction tags with words', async () => {
    const page = await countyClient.get(asb);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('Previous rolling year (Apr 22 – end Mar 23)');
    expect(body).toContain('Current rolling year (Apr 23 – end Mar 24)');
    expect(body).toContain(
      'This is the latest rolling year that every district has all its figures for.',
    );
    expect(body).toMatch(
      /<th scope="row" class="govuk-table__header">Total<\/th>\s*<td[^>]*>4,210<\/td>\s*<td[^>]*>4,200<\/td>\s*<td[^>]*>-0.2% or 10 incident decrease<\/td>\s*<td[^>]*><strong class="govuk-tag govuk-tag--green">Better<\/strong>/,
    );

    const incomplete = await countyClient.get(`${asb}&end=2024-04`);
    expect(incomplete.body).toContain('Carrow CSP has 11 of 12 months');
    const units = await countyClient.get(`${list}/compare?name=Violence+with+injury&unit=count`);
    expect(units.body).toContain('Carrow CSP keeps it as a rate');
  });

  it('reports a future month in the error summary, and keeps what was typed', async () => {
    const page = await countyClient.get(`${asb}&end=${nextMonth}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<title>Error: ');
    expect(page.body).toContain(
      `href="#end">The rolling year must not end in the future: enter ${monthLabel(thisMonth)} or an earlier month`,
    );
    expect(page.body).toContain(`value="${nextMonth}"`);
    expect(page.body).not.toContain('Previous rolling year (');
  });

  it('answers 404 to district members, others and for a district’s own address', async () => {
    expect((await ashbyClient.get(list)).statusCode).toBe(404);
    expect((await ashbyClient.get(asb)).statusCode).toBe(404);
    expect((await wellsClient.get(list)).statusCode).toBe(404);
    expect((await ashbyClient.get('/partnerships/ashby/county-indicators')).statusCode).toBe(404);
    expect((await countyClient.get(`${list}/compare?name=Nothing&unit=count`)).statusCode).toBe(
      404,
    );
    expect((await countyClient.get(`${list}/compare?name=ASB+incidents`)).statusCode).toBe(404);
  });
});
