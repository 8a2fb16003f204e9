/**
 * docs/api.md is generated from the operation table; this fails when the
 * committed copy no longer matches what the table renders to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeInput } from '../../scripts/api-docs/input-shape.js';
import { API_DOCS_PATH, REGENERATE_COMMAND, renderApiDocs } from '../../scripts/api-docs/render.js';
import { REPO_ROOT } from '../../scripts/api-docs/types.js';
import type { AnyOperation } from '../../src/engine/operation.js';
import { OPERATIONS } from '../../src/engine/operations.js';

const operations = OPERATIONS as readonly AnyOperation[];
const path = resolve(REPO_ROOT, API_DOCS_PATH);

describe('docs/api.md', () => {
  let rendered = '';
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';

  // Builds a TypeScript program over the engine: a few seconds.
  beforeAll(() => {
    rendered = renderApiDocs();
  }, 120_000);

  it('matches what the operation table renders to', () => {
    expect(committed, `${API_DOCS_PATH} is stale: run \`${REGENERATE_COMMAND}\` and commit the result`).toBe(rendered);
  });

  it('has an entry, and a contents link, for every operation', () => {
    for (const op of operations) {
      expect(committed, `${op.name} is missing from ${API_DOCS_PATH}: run \`${REGENERATE_COMMAND}\``).toContain(`\n### ${op.name}\n`);
      expect(committed).toContain(`[\`${op.name}\`](#${op.name.toLowerCase()})`);
      expect(rendered).toContain(`\`${op.kind}\` · ${op.summary}`);
    }
  });

  it('renders the same twice', () => {
    expect(renderApiDocs()).toBe(rendered);
  }, 120_000);
});

describe('describeInput', () => {
  it('renders every operation input', () => {
    for (const op of operations) {
      const input = describeInput(op.input as z.ZodType);
      expect(input.signature.startsWith('{'), op.name).toBe(true);
    }
  });

  it('renders what JSON Schema can express, and unknown for the rest, without throwing', () => {
    interface Tree {
      name: string;
      children: Tree[];
    }
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), children: z.array(tree) }));
    const schema = z.strictObject({
      bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array),
      payload: z.union([z.custom<Uint8Array>((v) => v instanceof Uint8Array), z.string()]).optional(),
      state: z.enum(['waiting', 'active']).default('waiting'),
      tags: z.record(z.string().min(1), z.string()).refine((t) => Object.keys(t).length <= 64),
      maybe: z.number().int().nullable().optional(),
      pair: z.tuple([z.string(), z.number()]),
      policy: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('all_of') }), z.strictObject({ kind: z.literal('quorum'), k: z.number() })]),
      list: z.array(z.union([z.string(), z.number()])),
      when: z.date(),
      tree,
      note: z.string().describe('A described field.'),
      'odd-key': z.boolean().default(false),
    });
    const typeAt = (path: readonly string[]): string | undefined => (path.join('.') === 'payload' ? 'string | Uint8Array' : undefined);
    const input = describeInput(schema, { typeAt });
    const types = Object.fromEntries(input.fields.map((field) => [field.name, field.type]));
    expect(types).toEqual({
      bytes: 'unknown',
      payload: 'string | Uint8Array',
      state: "'waiting' | 'active'",
      tags: 'Record<string, string>',
      maybe: 'number | null',
      pair: '[string, number]',
      policy: "{ kind: 'all_of' } | { kind: 'quorum'; k: number }",
      list: '(string | number)[]',
      when: 'unknown',
      tree: '{ name: string; children: (recursive)[] }',
      note: 'string',
      'odd-key': 'boolean',
    });
    const byName = new Map(input.fields.map((field) => [field.name, field]));
    expect(byName.get('state')).toMatchObject({ required: false, defaultValue: "'waiting'" });
    expect(byName.get('bytes')?.required).toBe(true);
    expect(byName.get('note')?.description).toBe('A described field.');
    expect(input.signature).toContain("'odd-key'?: boolean");
  });
});
