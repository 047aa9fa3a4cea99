import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** WCAG 2.2 AA, as the issue asks. No rule is relaxed. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Watch {
  current: { url: string; checked: boolean } | undefined;
  unchecked: string[];
  errors: string[];
}

const watches = new WeakMap<Page, Watch>();

/**
 * Notes every page the browser loads, so a journey that reaches a page without checking it
 * with axe fails, and records script errors (a CSP refusal shows up here).
 */
export function watch(page: Page): void {
  const w: Watch = { current: undefined, unchecked: [], errors: [] };
  watches.set(page, w);
  page.on('load', () => {
    if (w.current && !w.current.checked) w.unchecked.push(w.current.url);
    w.current = { url: page.url(), checked: false };
  });
  page.on('pageerror', (error) => w.errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Pages that answer 4xx on purpose (a refused sign-in, a 404) are not script errors.
    if (
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
    )
      return;
    w.errors.push(`${page.url()}: ${message.text()}`);
  });
}

/** Pages loaded but never checked with axe, and script errors seen, since `watch`. */
export function loose(page: Page): { unchecked: string[]; errors: string[] } {
  const w = watches.get(page);
  if (!w) return { unchecked: [], errors: [] };
  const unchecked = [...w.unchecked];
  if (w.current && !w.current.checked) unchecked.push(w.current.url);
  return { unchecked, errors: [...w.errors] };
}

/** `allowed`: rules a caller relaxes for one page, each with its reason where it is called. */
export async function expectAccessible(page: Page, allowed: string[] = []): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(TAGS);
  const { violations } = await (allowed.length ? builder.disableRules(allowed) : builder).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n'),
  );
  const w = watches.get(page);
  if (w?.current) w.current.checked = true;
  expect(found, `accessibility violations on ${page.url()}`).toEqual([]);
}
