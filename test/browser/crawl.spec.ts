import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { PEOPLE, type PersonKey } from './support/people.js';
import { signIn, visit } from './support/pages.js';

/**
 * Walks every page reachable by links from the home page, as each role, and checks each with
 * axe, so pages added later are checked without anyone writing a journey for them first.
 */

// A guard against a crawl that never ends; reaching it fails the test rather than leaving the
// pages still queued unchecked. An administrator reaches about 120 kinds of page in the demo.
const MAX_PAGES = 160;
// A page and its axe check take about a second, so the administrator's crawl alone takes well
// over the minute other tests are given.
const CRAWL_TIMEOUT_MS = 240_000;
// Not pages: forms that act (sign-out is a POST anyway), files, and the JSON API.
const NOT_PAGES = /^\/(sign-out|assets\/|api\/|healthz)/;

/**
 * One visit per kind of page: /partnerships/swale/groups/7 ~ /partnerships/swale/groups/:id.
 * Slugs stay: a county and a district, or one's own and a read-only partnership, differ.
 * This is how the crawl samples: the demo plan's 26 actions (or a real plan's hundreds) are
 * one visit to an action page and one to its form, not one each.
 */
function pattern(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/:id');
}

interface Crawl {
  visited: string[];
  broken: string[];
  /** Kinds of page found but not visited because the crawl reached MAX_PAGES. */
  unvisited: string[];
}

async function crawl(page: Page, origin: string, start: string): Promise<Crawl> {
  const queue = [start];
  const seen = new Set([pattern(new URL(start, origin).pathname)]);
  const result: Crawl = { visited: [], broken: [], unvisited: [] };
  while (queue.length && result.visited.length < MAX_PAGES) {
    const path = queue.shift() ?? '/';
    const status = await visit(page, path);
    result.visited.push(path);
    if (status >= 400) result.broken.push(`${status} ${path}`);
    // Absolute addresses, as the browser resolved them.
    const links = await page.evaluate<[href: string, download: boolean][]>(
      'Array.from(document.links, (a) => [a.href, a.hasAttribute("download")])',
    );
    for (const [href, download] of links) {
      const url = new URL(href);
      if (url.origin !== origin || NOT_PAGES.test(url.pathname)) continue;
      const key = pattern(url.pathname) + (download ? url.search : '');
      if (seen.has(key)) continue;
      seen.add(key);
      // A file to download is fetched and checked, not opened as a page.
      if (download) {
        const res = await page.request.get(url.href);
        if (res.status() >= 400) result.broken.push(`${res.status()} ${url.pathname}${url.search}`);
      } else queue.push(url.pathname + url.search);
    }
  }
  result.unvisited = queue;
  return result;
}

const b = useBrowser();

describe('every page reachable from the navigation', () => {
  it.each(Object.keys(PEOPLE) as PersonKey[])(
    'is accessible and works for the %s',
    async (key) => {
      const page = await b.newPage();
      await signIn(page, PEOPLE[key]);
      const { visited, broken, unvisited } = await crawl(page, b.baseUrl, '/');
      expect(broken, `broken links for the ${key}`).toEqual([]);
      expect(unvisited, `pages the ${key} can reach that the crawl did not check`).toEqual([]);
      // Home, partnerships, agencies, your account, and the partnership's own sections.
      expect(visited.length).toBeGreaterThanOrEqual(8);
    },
    CRAWL_TIMEOUT_MS,
  );

  it('is accessible when signed out', async () => {
    const page = await b.newPage();
    const { visited, broken, unvisited } = await crawl(page, b.baseUrl, '/sign-in');
    expect(broken).toEqual([]);
    expect(unvisited).toEqual([]);
    expect(visited).toContain('/sign-in');
  });
});
