import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('accessibility statement', () => {
  it('is open to people who have not signed in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/accessibility' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 class="govuk-heading-l">Accessibility statement</h1>');
    expect(res.body).toContain('WCAG) version 2.2 at level AA');
    expect(res.body).toContain('Reporting a problem');
  });

  it('is linked from the footer of every page, including sign-in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/sign-in' });
    expect(res.body).toMatch(/<a class="govuk-footer__link" href="\/accessibility">/);
  });
});
