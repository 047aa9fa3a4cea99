import { describe, expect, it } from 'vitest';
import { createUserSchema } from './accounts.schemas.js';

describe('createUserSchema', () => {
  const base = { email: ' Jo.Bloggs@Example.org ', name: 'Jo Bloggs', agencyId: '3' };

  it('accepts a form with the administrator box left unticked (the field is absent)', () => {
    expect(createUserSchema.parse(base)).toEqual({
      email: 'jo.bloggs@example.org',
      name: 'Jo Bloggs',
      agencyId: 3,
      isAdmin: false,
    });
  });

  it('reads a ticked box and a JSON boolean', () => {
    expect(createUserSchema.parse({ ...base, isAdmin: 'yes' }).isAdmin).toBe(true);
    expect(createUserSchema.parse({ ...base, isAdmin: true }).isAdmin).toBe(true);
  });

  it('names the field for a bad email', () => {
    const r = createUserSchema.safeParse({ ...base, email: 'not an email' });
    expect(r.error?.issues[0]?.path).toEqual(['email']);
  });
});
