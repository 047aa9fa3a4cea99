import { describe, expect, it } from 'vitest';
import { plural } from './words.js';

describe('plural', () => {
  it('says none, one and many as a sentence would', () => {
    expect(plural(0, 'action', 'actions')).toBe('no actions');
    expect(plural(1, 'action', 'actions')).toBe('1 action');
    expect(plural(12, 'progress update', 'progress updates')).toBe('12 progress updates');
  });
});
