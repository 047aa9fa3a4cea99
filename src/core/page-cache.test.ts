import { describe, expect, it } from 'vitest';
import { PageCache, actorKey, fill, keep } from './page-cache.js';

const page = (text: string) => keep(text, { csrf: 'C', nonce: 'N' });
const text = (kept: ReturnType<typeof page> | undefined) =>
  kept && fill(kept, { csrf: '', nonce: '' }).toString();

describe('keep and fill', () => {
  it('put each request’s own token and nonce where the marks were, in UTF-8 bytes', () => {
    const marks = { csrf: 'csrf-1f2e', nonce: 'nonce-3d4c' };
    const kept = keep(
      '<p>Sign out – “now”</p><input value="csrf-1f2e"><script nonce="nonce-3d4c"></script>csrf-1f2e',
      marks,
    );
    expect(fill(kept, { csrf: 'tok', nonce: 'abc' }).toString()).toBe(
      '<p>Sign out – “now”</p><input value="tok"><script nonce="abc"></script>tok',
    );
    expect(fill(keep('no marks', marks), { csrf: 'x', nonce: 'y' }).toString()).toBe('no marks');
  });
});

describe('PageCache', () => {
  it('keeps pages within its budget of bytes, dropping the least recently used first', () => {
    const cache = new PageCache(10);
    cache.set('a', page('aaaa'));
    cache.set('b', page('bbbb'));
    expect(text(cache.get('a'))).toBe('aaaa'); // a is now newer than b
    cache.set('c', page('cccc'));
    expect(cache.get('b')).toBeUndefined();
    expect(text(cache.get('a'))).toBe('aaaa');
    expect(text(cache.get('c'))).toBe('cccc');
    expect(cache.stored).toEqual({ pages: 2, bytes: 8 });
  });

  it('replaces a page under the same key and skips one larger than the budget', () => {
    const cache = new PageCache(10);
    cache.set('a', page('aaaa'));
    cache.set('a', page('aaaaaa'));
    cache.set('big', page('x'.repeat(11)));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.stored).toEqual({ pages: 1, bytes: 6 });
  });

  it('keeps nothing with no budget', () => {
    expect(new PageCache(0).enabled).toBe(false);
  });
});

describe('actorKey', () => {
  const actor = {
    userId: 1,
    label: 'Pat',
    agencyId: 2,
    isAdmin: false,
    roles: new Map([
      [5, 'lead' as const],
      [3, 'coordinator' as const],
    ]),
  };

  it('tells apart people, names, agencies and roles, whatever order the roles came in', () => {
    const same = { ...actor, roles: new Map([...actor.roles].reverse()) };
    expect(actorKey(same)).toBe(actorKey(actor));
    expect(actorKey({ ...actor, label: 'Pat Smith' })).not.toBe(actorKey(actor));
    expect(actorKey({ ...actor, agencyId: 3 })).not.toBe(actorKey(actor));
    expect(actorKey({ ...actor, roles: new Map([[5, 'viewer' as const]]) })).not.toBe(
      actorKey(actor),
    );
    expect(actorKey(null)).not.toBe(actorKey(actor));
  });
});
