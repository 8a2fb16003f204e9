/**
 * The summary documents' JSON merge patch (RFC 7396 with the null sentinel),
 * by property: what a patch does to each key, that a diff of two documents
 * patches one into the other, idempotence, and canonical serialisation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUMMARY_NULL_SENTINEL } from '../../src/api/streams.js';
import { applyMergePatch, canonicalJson, type Json } from '../../src/engine/streams/merge-patch.js';

type Obj = { [key: string]: Json };
const isObject = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON values; the sentinel string never appears as an object value (it could not be stored as text). */
const json: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 }).filter((v) => !canonicalJson(v as Json).includes(SUMMARY_NULL_SENTINEL)) as fc.Arbitrary<Json>;
const object: fc.Arbitrary<Obj> = fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 6 });

/** A merge patch that turns `from` into `to`: nulls delete, the sentinel writes a null. Own keys only ('toString' is a key like any other). */
function diff(from: Json | undefined, to: Obj): Obj {
  const patch = Object.create(null) as Obj;
  const base = isObject(from) ? from : {};
  for (const key of Object.keys(base)) if (!Object.hasOwn(to, key)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (value === null) patch[key] = SUMMARY_NULL_SENTINEL;
    else if (isObject(value)) patch[key] = diff(Object.hasOwn(base, key) ? base[key] : undefined, value);
    else patch[key] = value;
  }
  return patch;
}

const same = (a: Json, b: Json): void => expect(canonicalJson(a)).toBe(canonicalJson(b));

describe('applyMergePatch', () => {
  it('a diff of two documents patches the first into the second', () => {
    fc.assert(
      fc.property(object, object, (from, to) => {
        same(applyMergePatch(from, diff(from, to)), to);
      }),
      { numRuns: 500 },
    );
  });

  it('per key: absent keeps, null deletes, the sentinel writes null, arrays and scalars replace', () => {
    fc.assert(
      fc.property(object, object, (target, patch) => {
        const result = applyMergePatch(target, patch) as Obj;
        for (const key of Object.keys(target)) if (!Object.hasOwn(patch, key)) same(result[key]!, target[key]!);
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) expect(Object.hasOwn(result, key)).toBe(false);
          else if (value === SUMMARY_NULL_SENTINEL) expect(result[key]).toBeNull();
          else if (!isObject(value)) same(result[key]!, value);
          else expect(isObject(result[key])).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a patch that is not an object replaces the document', () => {
    fc.assert(
      fc.property(json, json.filter((p) => !isObject(p)), (target, patch) => {
        same(applyMergePatch(target, patch), patch);
      }),
    );
  });

  it('is idempotent and leaves its arguments unchanged', () => {
    fc.assert(
      fc.property(json, json, (target, patch) => {
        const [t, p] = [canonicalJson(target), canonicalJson(patch)];
        const once = applyMergePatch(target, patch);
        same(applyMergePatch(once, patch), once);
        expect([canonicalJson(target), canonicalJson(patch)]).toEqual([t, p]);
      }),
      { numRuns: 500 },
    );
  });

  it("keys named like Object.prototype's members are plain keys", () => {
    const from = JSON.parse('{"toString":1,"constructor":{"a":1},"keep":2}') as Obj;
    same(applyMergePatch(from, diff(from, { keep: 2 })), { keep: 2 });
    same(applyMergePatch(from, JSON.parse('{"constructor":{"b":2}}') as Json), { constructor: { a: 1, b: 2 }, keep: 2, toString: 1 });
  });

  it('the sentinel inside an array stays a string; a __proto__ key stays a key', () => {
    const patch = JSON.parse(`{"a":["${SUMMARY_NULL_SENTINEL}"],"__proto__":{"polluted":1}}`) as Json;
    const result = applyMergePatch({}, patch) as Obj;
    expect(canonicalJson(result)).toBe(`{"__proto__":{"polluted":1},"a":["${SUMMARY_NULL_SENTINEL}"]}`);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('examples of RFC 7396 appendix A', () => {
    const cases: [Json, Json, Json][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { a: 1, e: null }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, expected] of cases) same(applyMergePatch(target, patch), expected);
  });
});

describe('canonicalJson', () => {
  it('parses back to the same value and is its own fixed point', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        const parsed = JSON.parse(text) as Json;
        expect(canonicalJson(parsed)).toBe(text);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes object keys in ascending order at every depth, whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 6 }), (keys) => {
        const value: Obj = {};
        for (const key of keys) value[key] = { z: 1, a: 0 };
        const expected = `{${[...keys].sort().map((k) => `${JSON.stringify(k)}:{"a":0,"z":1}`).join(',')}}`;
        expect(canonicalJson(value)).toBe(expected);
      }),
    );
  });
});
