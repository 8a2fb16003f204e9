/**
 * Which call arguments may travel as JSON through shared memory
 * (src/worker/plain-json.ts): those JSON carries exactly as postMessage
 * would. Anything else is refused, and goes by postMessage.
 */
import { describe, expect, it } from 'vitest';
import { plainJson } from '../../src/worker/plain-json.js';

describe('plainJson', () => {
  it('writes plain objects, arrays, strings, finite numbers, booleans and null', () => {
    const value = [{ laneId: 'a', priority: -3, tags: { k: 'v' }, ok: true, none: null, nested: [1.5, 'x', []] }, Object.create(null) as object];
    const text = plainJson(value);
    expect(text).not.toBeNull();
    expect(JSON.parse(text!)).toEqual(value);
    // Lone surrogates come back as they were.
    expect(JSON.parse(plainJson(['\ud800'])!)).toEqual(['\ud800']);
  });

  it.each([
    ['undefined in an object', [{ laneId: 'a', payload: undefined }]],
    ['undefined as an argument', [undefined]],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    ['a hole in an array', [[1, , 3]]],
    ['NaN', [{ n: Number.NaN }]],
    ['Infinity', [{ n: Number.POSITIVE_INFINITY }]],
    ['-0', [{ n: -0 }]],
    ['a bigint', [{ n: 1n }]],
    ['a function', [{ f: () => 1 }]],
    ['a symbol', [{ s: Symbol('x') }]],
    ['a Uint8Array', [{ payload: new Uint8Array([1, 2]) }]],
    ['a Date', [{ at: new Date(0) }]],
    ['a Map', [new Map()]],
    ['a class instance', [new (class Point {})()]],
    ['an object with its own toJSON', [{ toJSON: () => 'x' }]],
    ['a cycle', (() => {
      const o: Record<string, unknown> = {};
      o['self'] = o;
      return [o];
    })()],
  ])('refuses %s', (_name, value) => {
    expect(plainJson(value)).toBeNull();
  });
});
