import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from './views.js';

describe('the view environment', () => {
  const env = createViewEnvironment();

  it('trims as Nunjucks does, escaping plain text and keeping safe markup safe', () => {
    const nunjucksOwn = new nunjucks.Environment(null, { autoescape: true });
    for (const text of [
      '  <b>x</b>\n\t ',
      '\u00a0 x \ufeff',
      'x',
      '',
      ' \r\n ',
      '\u2028a b\u3000',
    ]) {
      for (const template of ['[{{ text | trim }}]', '[{{ text | safe | trim }}]']) {
        expect(env.renderString(template, { text })).toBe(
          nunjucksOwn.renderString(template, { text }),
        );
      }
    }
    expect(env.renderString('[{{ text | trim }}]', { text: ' <b> ' })).toBe('[&lt;b&gt;]');
    expect(env.renderString('[{{ text | safe | trim }}]', { text: ' <b> ' })).toBe('[<b>]');
  });

  it('renders govuk components the same on every call', () => {
    const radios =
      '{% from "govuk/components/radios/macro.njk" import govukRadios %}' +
      '{{ govukRadios({ name: "status", fieldset: { legend: { text: "Status" } }, items: [{ value: "a", text: "A" }] }) }}';
    const first = env.renderString(radios, {});
    expect(first).toContain(
      '<input class="govuk-radios__input" id="status" name="status" type="radio" value="a">',
    );
    expect(env.renderString(radios, {})).toBe(first);
  });
});
