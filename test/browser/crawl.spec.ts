import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { PEOPLE, type PersonKey } from './support/people.js';
import { signIn, visit } from './support/pages.js';

/**
 * Walks every page reachable by links from the home page, as each role, and checks each with
 * axe, so pages added later are checked without anyone writing a journey for them first.
 */

const MAX_PAGES = 60;
// Not pages: forms that act (sign-out is a POST anyway), files, and the JSON API.
const NOT_PAGES = /^\/(sign-out|assets\/|api\/|healthz)|\.(csv|xlsx|docx)$/;

/**
 * One visit per kind of page: /partnerships/swale/groups/7 ~ /partnerships/swale/groups/:id.
 * Slugs stay: a county and a district, or one's own and a read-only partnership, differ.
 */
function pattern(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/:id');
}

interface Crawl {
  visited: string[];
  broken: string[];
}

async function crawl(page: Page, origin: string, start: string): Promise<Crawl> {
  const queue = [start];
  const seen = new Set([pattern(new URL(start, origin).pathname)]);
  const result: Crawl = { visited: [], broken: [] };
  while (queue.length && result.visited.length < MAX_PAGES) {
    const path = queue.shift() ?? '/';
    const status = await visit(page, path);
    result.visited.push(path);
    if (status >= 400) result.broken.push(`${status} ${path}`);
    // Absolute addresses, as the browser resolved them.
    const hrefs = await page.evaluate<string[]>('Array.from(document.links, (a) => a.href)');
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== origin || NOT_PAGES.test(url.pathname)) continue;
      const key = pattern(url.pathname);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(url.pathname + url.search);
    }
  }
  return result;
}

const b = useBrowser();

describe('every page reachable from the navigation', () => {
  it.each(Object.keys(PEOPLE) as PersonKey[])('is accessible and works for the %s', async (key) => {
    const page = await b.newPage();
    await signIn(page, PEOPLE[key]);
    const { visited, broken } = await crawl(page, b.baseUrl, '/');
    expect(broken, `broken links for the ${key}`).toEqual([]);
    // Home, partnerships, agencies, your account, and the partnership's own sections.
    expect(visited.length).toBeGreaterThanOrEqual(8);
  });

  it('is accessible when signed out', async () => {
    const page = await b.newPage();
    const { visited, broken } = await crawl(page, b.baseUrl, '/sign-in');
    expect(broken).toEqual([]);
    expect(visited).toContain('/sign-in');
  });
});
