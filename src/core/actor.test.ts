import { describe, expect, it } from 'vitest';
import { canManagePartnership, canReadPartnership, type Actor, type Role } from './actor.js';

function actor(roles: [number, Role][], isAdmin = false): Actor {
  return { userId: 1, label: 'Test', agencyId: 1, isAdmin, roles: new Map(roles) };
}

const county = { id: 1, parent_id: null };
const district = { id: 2, parent_id: 1 };
const otherDistrict = { id: 3, parent_id: 9 };

describe('partnership access', () => {
  it('lets every member read but only a coordinator manage', () => {
    for (const role of ['coordinator', 'lead', 'viewer'] as const) {
      expect(canReadPartnership(actor([[2, role]]), district)).toBe(true);
      expect(canManagePartnership(actor([[2, role]]), district)).toBe(role === 'coordinator');
    }
  });

  it('lets a county coordinator read, not manage, its districts', () => {
    const c = actor([[1, 'coordinator']]);
    expect(canReadPartnership(c, district)).toBe(true);
    expect(canManagePartnership(c, district)).toBe(false);
    expect(canReadPartnership(c, otherDistrict)).toBe(false);
  });

  it('does not let a county lead or viewer read its districts', () => {
    expect(canReadPartnership(actor([[1, 'lead']]), district)).toBe(false);
    expect(canReadPartnership(actor([[1, 'viewer']]), district)).toBe(false);
  });

  it('keeps a member of one partnership out of another', () => {
    expect(canReadPartnership(actor([[2, 'coordinator']]), otherDistrict)).toBe(false);
    expect(canReadPartnership(actor([[2, 'coordinator']]), county)).toBe(false);
  });

  it('lets a system administrator read and manage any partnership', () => {
    expect(canManagePartnership(actor([], true), otherDistrict)).toBe(true);
  });
});
