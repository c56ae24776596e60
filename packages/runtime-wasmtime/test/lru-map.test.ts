import { describe, expect, it } from 'vitest';
import { LruMap } from '../src/runner/lru-map.js';

describe('LruMap', () => {
  it('drops the least recently used entry past its capacity, and tells onEvict', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, string>(2, (value) => evicted.push(value));
    map.set('a', 'A');
    map.set('b', 'B');
    expect(map.get('a')).toBe('A'); // a is now the most recent
    map.set('c', 'C');
    expect(evicted).toEqual(['B']);
    expect(map.get('b')).toBeUndefined();
    map.set('a', 'A2'); // replacing is a use, not an eviction
    map.set('d', 'D');
    expect(evicted).toEqual(['B', 'C']);
    expect([...map.values()]).toEqual(['A2', 'D']);
    map.clear();
    expect([...map.values()]).toEqual([]);
    expect(evicted).toEqual(['B', 'C']);
  });
});
