/**
 * Properties of every operation in the table, so an operation added later
 * is covered without a new test: a malformed input is a `validation.*`
 * error naming a field, no raw TypeError/RangeError escapes, and the
 * database image is byte-identical afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FAMILIES } from '../../src/engine/operation.js';
import { OPERATIONS } from '../../src/engine/operations.js';
import { Engine } from '../../src/index.js';
import { REMOTE_ENGINE_METHODS } from '../../src/worker/remote-methods.js';
import { makeEngine, sameImage, WORKER } from './helpers.js';

const protoKeyed = (): unknown => JSON.parse('{"__proto__": 1}') as unknown;
const deep = (): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < 200; i++) v = { v };
  return v;
};

/** Values no field of any schema accepts. */
const alwaysInvalid = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 'lone \uD800 surrogate', '\uDFFF', 'x\uDBFF'),
  fc.constant(null).map(() => protoKeyed()),
  fc.constant(null).map(() => deep()),
);

/** Values that may or may not suit a field: wrong types, edges, huge, negative, float, empty. */
const hostile = fc.oneof(
  alwaysInvalid,
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308),
  fc.constantFrom('', ' ', 'x'.repeat(5000), '{fp:0}:not-a-uuid', 'a\u0000b', '__proto__', 'constructor'),
  fc.constantFrom([], [1, 'a'], {}, { a: 1 }, new Uint8Array(3)),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

/** Inputs that are not objects at all (undefined is left out: an optional input may be omitted). */
const notAnObject = fc.constantFrom<unknown>(null, 0, NaN, 'claim', [], [{}], true, new Uint8Array(2));

function fieldsOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** An object input: some of the schema's fields hostile, and at least one field (or an extra key) always invalid. */
function malformedObject(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(schema);
  const targets = [...fields, '__bogus_key'];
  return fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((f) => [f, hostile])), { requiredKeys: [] }),
      fc.constantFrom(...targets),
      alwaysInvalid,
    )
    .map(([rest, target, bad]) => ({ ...rest, [target]: bad }));
}

describe('the operation table', () => {
  it('names each operation once, every Engine method and every remote method comes from it', () => {
    const names = OPERATIONS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...REMOTE_ENGINE_METHODS]).toEqual(names);
    for (const op of OPERATIONS) {
      expect(typeof (Engine.prototype as unknown as Record<string, unknown>)[op.name], op.name).toBe('function');
      expect(Object.keys(FAMILIES)).toContain(op.family);
      expect(['read', 'write', 'control', 'wait']).toContain(op.kind);
      expect(op.summary.length, `${op.name} summary`).toBeGreaterThan(10);
      expect(op.summary, `${op.name}: the summary is one line`).not.toContain('\n');
    }
  });

  it('lists families together, in the order of FAMILIES', () => {
    const order = Object.keys(FAMILIES);
    const seen = OPERATIONS.map((op) => order.indexOf(op.family));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe.each(OPERATIONS.map((op) => [op.name, op] as const))('%s refuses malformed input', (name, op) => {
  it('as a typed validation error naming a field, changing nothing', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    // Some state for the operation to (not) change.
    engine.createExecution({ laneId: 'l' });
    engine.claim({ laneId: 'l', ...WORKER });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'd', hardLimit: 10 }] });
    const before = engine.exportImage();
    const call = (engine as unknown as Record<string, (input: unknown) => unknown>)[name]!.bind(engine);
    await fc.assert(
      fc.asyncProperty(fc.oneof(malformedObject(op.input), notAnObject), async (input) => {
        let thrown: unknown;
        try {
          await call(input);
        } catch (err) {
          thrown = err;
        }
        expect(thrown, `${name} accepted ${String(JSON.stringify(input))?.slice(0, 200)}`).toBeDefined();
        const err = thrown as { name?: unknown; code?: unknown; details?: Record<string, unknown> };
        expect(err.name, String(thrown)).toBe('EngineError');
        expect(String(err.code)).toMatch(/^validation\./);
        expect(typeof err.details?.['field']).toBe('string');
        expect(sameImage(engine.exportImage(), before)).toBe(true);
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
