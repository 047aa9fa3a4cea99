import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { reusingStatements } from './database.js';

describe('reusing prepared SQLite statements', () => {
  const open = () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (n integer)');
    sqlite.exec('insert into t values (1), (2), (3)');
    return reusingStatements(sqlite);
  };

  it('prepares a statement once and runs it again with new values', () => {
    const db = open();
    const first = db.prepare('select n from t where n > ?');
    expect(db.prepare('select n from t where n > ?')).toBe(first);
    expect(first.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(first.all([2])).toEqual([{ n: 3 }]);
    db.close();
  });

  it('gives a fresh statement while the kept one is still being read', () => {
    const db = open();
    const kept = db.prepare('select n from t');
    const rows = kept.iterate([]);
    rows.next();
    const other = db.prepare('select n from t');
    expect(other).not.toBe(kept);
    expect(other.all([])).toHaveLength(3);
    rows.return?.();
    expect(db.prepare('select n from t')).toBe(kept);
    db.close();
  });

  it('keeps a bounded number, dropping the least recently used', () => {
    const db = open();
    const first = db.prepare('select 0');
    for (let i = 1; i <= 500; i++) db.prepare(`select ${i}`);
    expect(db.prepare('select 500')).toBe(db.prepare('select 500'));
    expect(db.prepare('select 0')).not.toBe(first);
    db.close();
  });
});
