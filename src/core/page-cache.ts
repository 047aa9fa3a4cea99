import type { Actor } from './actor.js';

/**
 * A rendered page as bytes, with the places where each request's own values go: its CSRF token
 * and its script nonce. Bytes, not the string the templates built: that string is a tree of
 * every piece it was joined from and takes several times its length in memory.
 */
export interface KeptPage {
  bytes: Buffer;
  slots: { at: number; value: 'csrf' | 'nonce' }[];
}

/** The page with this request's values in its slots. */
export function fill(page: KeptPage, values: Record<'csrf' | 'nonce', string>): Buffer {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const slot of page.slots) {
    chunks.push(page.bytes.subarray(from, slot.at), Buffer.from(values[slot.value]));
    from = slot.at;
  }
  chunks.push(page.bytes.subarray(from));
  return Buffer.concat(chunks);
}

/** Splits a page rendered with `marks` in place of the request's values. */
export function keep(html: string, marks: Record<'csrf' | 'nonce', string>): KeptPage {
  const names = new Map(Object.entries(marks).map(([value, mark]) => [mark, value]));
  const pieces = html.split(new RegExp(`(${[...names.keys()].join('|')})`));
  const texts: Buffer[] = [];
  const slots: KeptPage['slots'] = [];
  let at = 0;
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) {
      slots.push({ at, value: names.get(piece) as 'csrf' | 'nonce' });
      return;
    }
    const bytes = Buffer.from(piece);
    texts.push(bytes);
    at += bytes.length;
  });
  return { bytes: Buffer.concat(texts, at), slots };
}

/**
 * Rendered pages kept in memory, least recently used first out, within a budget of bytes.
 * A key names everything the page was rendered from; see the views plugin for what goes in it.
 */
export class PageCache {
  private readonly pages = new Map<string, KeptPage>();
  private size = 0;

  constructor(private readonly budget: number) {}

  get enabled(): boolean {
    return this.budget > 0;
  }

  get(key: string): KeptPage | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    // Map keeps insertion order: taking a page out and putting it back makes it the newest.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: KeptPage): void {
    if (page.bytes.length > this.budget) return;
    const old = this.pages.get(key);
    if (old !== undefined) this.size -= old.bytes.length;
    this.pages.delete(key);
    this.pages.set(key, page);
    this.size += page.bytes.length;
    for (const [oldest, kept] of this.pages) {
      if (this.size <= this.budget) break;
      this.pages.delete(oldest);
      this.size -= kept.bytes.length;
    }
  }

  get stored(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.size };
  }
}

/** Everything about who is looking that a page may show or depend on. */
export function actorKey(actor: Actor | null): string {
  if (!actor) return '-';
  const roles = [...actor.roles].sort(([a], [b]) => a - b).join(';');
  return JSON.stringify([actor.userId, actor.label, actor.agencyId, actor.isAdmin, roles]);
}
