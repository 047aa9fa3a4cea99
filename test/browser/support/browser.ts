import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Services } from '../../../src/services.js';
import { startApp, type RunningApp } from './app.js';
import { loose, watch } from './axe.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  readonly baseUrl: string;
  readonly services: Services;
  /** A page in a fresh browser context: no cookies, nobody signed in. */
  newPage: () => Promise<Page>;
}

/**
 * One app and one Chromium for a spec file. After each test, every page it loaded must have
 * been checked with axe and no script may have failed.
 */
export function useBrowser(): Harness {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let pages: Page[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterEach(async () => {
    const open = pages;
    pages = [];
    const problems = open.map(loose);
    await Promise.all(open.map((p) => p.context().close()));
    expect(
      problems.flatMap((p) => p.unchecked),
      'pages loaded but not checked with axe',
    ).toEqual([]);
    expect(
      problems.flatMap((p) => p.errors),
      'errors in the browser',
    ).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the app and browser start in beforeAll');
    return value;
  };

  return {
    get baseUrl() {
      return need(app).baseUrl;
    },
    get services() {
      return need(app).services;
    },
    newPage: async () => {
      const context = await need(browser).newContext({ baseURL: need(app).baseUrl });
      const page = await context.newPage();
      watch(page);
      pages.push(page);
      return page;
    },
  };
}
