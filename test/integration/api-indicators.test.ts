import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths } from '../../src/domain/periods.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
const tokens = { coordinator: '', viewer: '', medway: '' };
let themeId: number;
const nextMonth = addMonths(nowIso().slice(0, 7), 1);

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Json = Record<string, unknown>;

function api(method: Method, url: string, token: string, payload?: Json) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

function errorsOf(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(422);
  return res.json<{ errors: { field: string; message: string; row?: number; column?: string }[] }>()
    .errors;
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  for (const [key, slug, role] of [
    ['coordinator', 'swale', 'coordinator'],
    ['viewer', 'swale', 'viewer'],
    ['medway', 'medway', 'coordinator'],
  ] as const) {
    const u = await user(s);
    await member(s, slug, u.email, role);
    const actor = await s.auth.actorFor(u.id);
    if (!actor) throw new Error('no actor');
    tokens[key] = (await s.tokens.create(actor, { name: 'Script' })).token;
  }
  const plan = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer', period: '2024/25' });
  themeId = (await s.themes.add(COMMAND_LINE, 'swale', plan.id, { type: 'priority', title: 'ASB' }))
    .id;
});
afterAll(() => t.close());

describe('indicators in the API', () => {
  let id: number;

  it('adds an indicator, sets figures all or nothing, and reads them back exactly', async () => {
    const made = await api('POST', '/partnerships/swale/indicators', tokens.coordinator, {
      name: 'ASB incidents',
      unit: 'count',
      polarity: 'increase-bad',
      noun: 'incidents',
      themeId,
    });
    expect(made.statusCode, made.body).toBe(201);
    id = made.json<{ id: number }>().id;
    expect(made.json()).toMatchObject({ theme: { id: themeId, title: 'ASB' }, canManage: true });

    const url = `/partnerships/swale/indicators/${id}`;
    expect(
      errorsOf(
        await api('POST', `${url}/values`, tokens.coordinator, {
          months: { '2024-09': 120, [nextMonth]: '4', '2024-10': '1.5' },
        }),
      ).map((e) => e.field),
    ).toEqual([`month-${nextMonth}`, 'month-2024-10']);
    const saved = await api('POST', `${url}/values`, tokens.coordinator, {
      months: { '2024-09': 120, '2024-10': '1,101', '2024-11': null },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ figures: Json }>().figures).toEqual({
      months: [
        { month: '2024-09', value: '120' },
        { month: '2024-10', value: '1101' },
      ],
      totals: [],
    });
    const total = await api('POST', `${url}/totals`, tokens.coordinator, {
      endMonth: '2024-03',
      value: '1400',
    });
    expect(total.json<{ figures: { totals: Json[] } }>().figures.totals).toEqual([
      { endMonth: '2024-03', value: '1400' },
    ]);
    expect((await api('DELETE', `${url}/totals/2024-03`, tokens.coordinator)).statusCode).toBe(204);
    const events = await historyOf(t.services.db, 'indicator', id);
    expect(events.filter((e) => e.action === 'updated')).toHaveLength(3);

    const patched = await api('PATCH', url, tokens.coordinator, { noun: 'reports' });
    expect(patched.json()).toMatchObject({ name: 'ASB incidents', noun: 'reports' });
  });

  it('lets members read and only coordinators change; other partnerships get 404', async () => {
    const url = `/partnerships/swale/indicators/${id}`;
    expect((await api('GET', url, tokens.viewer)).json()).toMatchObject({ canManage: false });
    expect((await api('POST', `${url}/values`, tokens.viewer, { months: {} })).statusCode).toBe(
      403,
    );
    expect((await api('GET', url, tokens.medway)).statusCode).toBe(404);
    expect(
      (await api('GET', `/partnerships/medway/indicators/${id}`, tokens.medway)).statusCode,
    ).toBe(404);
    expect((await api('DELETE', url, tokens.medway)).statusCode).toBe(404);
  });

  it('compares a window with the one before, for any basis and last month', async () => {
    const url = `/partnerships/swale/indicators/${id}`;
    // September 2022 to August 2023 at 50 a month, then 40 to August 2024; October 2024 is 1101.
    const months = Object.fromEntries(
      [...Array(24).keys()].map((i) => [addMonths('2022-09', i), i < 12 ? '50' : '40']),
    );
    await api('POST', `${url}/values`, tokens.coordinator, { months });
    const rolling = await api('GET', `${url}/comparison?end=2024-08`, tokens.viewer);
    expect(rolling.statusCode, rolling.body).toBe(200);
    expect(rolling.json()).toEqual({
      basis: 'rolling',
      end: '2024-08',
      previousWindow: { from: '2022-09', to: '2023-08' },
      currentWindow: { from: '2023-09', to: '2024-08' },
      previous: '600',
      current: '480',
      complete: true,
      change: '-120',
      changePercent: '-20.0',
      text: '-20.0% or 120 report decrease',
      direction: 'better',
    });
    const financial = await api(
      'GET',
      `${url}/comparison?end=2024-08&basis=financial`,
      tokens.viewer,
    );
    expect(financial.json()).toMatchObject({
      previousWindow: { from: '2022-04', to: '2023-03' },
      currentWindow: { from: '2023-04', to: '2024-03' },
      previous: null,
      current: '530',
      complete: false,
      change: null,
      changePercent: null,
      text: 'incomplete (7 of 12 months)',
      direction: null,
    });
    // By default, to the latest month with a figure.
    expect((await api('GET', `${url}/comparison`, tokens.viewer)).json()).toMatchObject({
      end: '2024-10',
      currentWindow: { from: '2023-11', to: '2024-10' },
    });

    const future = await api('GET', `${url}/comparison?end=${nextMonth}`, tokens.viewer);
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({
      status: 400,
      detail: 'end: Last month to compare must not be in the future',
    });
    const bad = await api('GET', `${url}/comparison?end=2024-9`, tokens.viewer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toBe(
      'end: Month must have 2 digits, like 2022-09',
    );
    expect(errorsOf(await api('GET', `${url}/comparison?basis=weekly`, tokens.viewer))).toEqual([
      { field: 'basis', message: 'Basis must be rolling, financial or calendar' },
    ]);
    expect((await api('GET', `${url}/comparison`, tokens.medway)).statusCode).toBe(404);
  });

  it('imports a file in base64, refusing a bad one by row and column', async () => {
    const send = (text: string) =>
      api('POST', '/partnerships/swale/indicators/import', tokens.coordinator, {
        filename: 'figures.csv',
        content: Buffer.from(text).toString('base64'),
      });
    expect(errorsOf(await send('Indicator,Month,Value\nASB incidents,2024-9,1\n'))).toEqual([
      {
        field: 'content',
        row: 2,
        column: 'Month',
        message: 'Month must be a real month written like 2024-09',
      },
    ]);
    const done = await send('Indicator,Month,Value\nASB incidents,2024-12,97\n');
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({ counts: { added: 1, indicators: 1, newIndicators: 0 } });
    const list = await api('GET', '/partnerships/swale/indicators', tokens.viewer);
    expect(list.json<{ name: string }[]>().map((i) => i.name)).toEqual(['ASB incidents']);
    expect(
      (await api('DELETE', `/partnerships/swale/indicators/${id}`, tokens.coordinator)).statusCode,
    ).toBe(204);
  });
});
