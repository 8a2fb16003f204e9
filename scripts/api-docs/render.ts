/**
 * docs/api.md, rendered from the operation table: one section per family in
 * FAMILIES order, one entry per operation in table order, with its kind,
 * summary, input (from its zod schema) and result type (from the compiler).
 * The output depends only on the sources: no dates, no machine paths.
 */
import type { z } from 'zod';
import { createExecutionInput, retryPolicy } from '../../src/api/executions.js';
import { handle } from '../../src/api/handle.js';
import { FAMILIES, type AnyOperation, type Family } from '../../src/engine/operation.js';
import { OPERATIONS } from '../../src/engine/operations.js';
import { describeInput, inputJsonSchema, type FieldRow, type NamedShape } from './input-shape.js';
import { readApiTypes, type ApiTypes, type OperationTypes } from './types.js';

/** Where the page lives; links to sources are relative to it. */
export const API_DOCS_PATH = 'docs/api.md';
export const REGENERATE_COMMAND = 'npx tsx scripts/api-docs.ts';

interface SharedShape extends NamedShape {
  /** The file that exports the schema, and the exports whose doc comments describe its fields. */
  readonly file: string;
  readonly docsFrom: readonly string[];
  readonly about: string;
}

/** A shape that is another operation's whole input: named, and linked to that operation. */
interface OperationInputShape extends NamedShape {
  readonly operation: string;
}

/** Input shapes used by several operations: written once at the end of the page, by name elsewhere. */
const SHARED_SHAPES: readonly SharedShape[] = [
  {
    name: 'Handle',
    schema: handle,
    file: 'src/api/handle.ts',
    docsFrom: ['handle', 'Handle'],
    about:
      'The lease a worker holds on a claimed execution. `claim` returns it (and `reclaimExecution`, in its `claimed` result); every operation on a claimed execution takes it back as given and checks it before it writes anything.',
  },
  {
    name: 'RetryPolicy',
    schema: retryPolicy,
    file: 'src/api/executions.ts',
    docsFrom: ['retryPolicy', 'RetryPolicy'],
    about: 'How a failed execution is retried. Without a policy a failure is final.',
  },
];

const OPERATION_INPUTS: readonly OperationInputShape[] = [
  { name: 'CreateExecutionInput', schema: createExecutionInput, operation: 'createExecution' },
];

const NAMED: readonly NamedShape[] = [...SHARED_SHAPES, ...OPERATION_INPUTS];

const SHARED_SECTION = 'Shared input shapes';

/** The whole of docs/api.md. */
export function renderApiDocs(types: ApiTypes = readApiTypes()): string {
  const operations = OPERATIONS as readonly AnyOperation[];
  const typesOf = (op: AnyOperation): OperationTypes => {
    const found = types.operations.get(op.name);
    if (!found) throw new Error(`no types found for operation ${op.name}`);
    return found;
  };
  const families = (Object.keys(FAMILIES) as Family[])
    .map((family) => ({ family, ops: operations.filter((op) => op.family === family) }))
    .filter(({ ops }) => ops.length > 0);
  const strict = operations.every((op) => inputJsonSchema(op.input as z.ZodType).additionalProperties === false);
  const asyncOps = operations.filter((op) => typesOf(op).result.startsWith('Promise<')).map((op) => `\`${op.name}\``);

  const out: string[] = [
    '# API reference',
    '',
    `<!-- Generated from the operation table in src/engine/operations.ts by \`${REGENERATE_COMMAND}\`. Do not edit by hand: change the operations, then regenerate. -->`,
    '',
    'Every public method of the engine, as listed in the operation table (`src/engine/operations.ts`).',
    '',
    '- **One argument, plain data.** Every method takes one argument object and returns plain, structured-cloneable data, so the same calls work across the worker boundary.',
    `- **Validated input.** Each input is checked before anything runs: first the rules every input gets (well-formed text, no \`__proto__\` keys, bounded nesting), then its zod schema (\`src/api/\`)${strict ? ', which also rejects unknown keys' : ''}. A bad input throws an \`EngineError\` with code \`validation.invalid_input\`: \`details.field\` names the first offending field and \`details.issues\` lists every problem. A rejected call writes nothing.`,
    `- **Sync in process, async in the browser.** On an \`Engine\` (\`createEngine\`) the methods run synchronously${asyncOps.length > 0 ? `, except ${joinWords(asyncOps)}, which return a promise` : ''}. The browser client (\`createBrowserBackend\`) has the same methods with the same input, each returning a promise of the same result.`,
    '- **Results.** Result unions are discriminated by `kind`. A business outcome (a duplicate, a scheduled retry, a `null` claim) is a result, not an error. Enum values are snake_case (`eligible_now`, `completed`).',
    '- **Kinds.** `read` runs outside any write transaction and changes nothing. `write` runs in one transaction on the engine clock, followed by the flow completion cascade. `control` drives time or the scanners and manages its own transactions. `wait` is a read that may wait on the engine clock for a commit to change its answer; it returns a promise, in-process too, and the browser client sends it in a message of its own so it holds up no other call.',
    `- **Inputs** are written as the caller passes them: a field with a default may be left out, and a method whose fields are all optional may be called with no argument. ${joinWords(SHARED_SHAPES.map((shape) => `\`${shape.name}\``))} are spelled out under [${SHARED_SECTION}](#${slug(SHARED_SECTION)}); ${joinWords(OPERATION_INPUTS.map((shape) => `\`${shape.name}\` is the input of [\`${shape.operation}\`](#${slug(shape.operation)})`))}.`,
    '',
    '## Contents',
    '',
    ...families.map(
      ({ family, ops }) => `- [${FAMILIES[family]}](#${slug(FAMILIES[family])}): ${ops.map((op) => `[\`${op.name}\`](#${slug(op.name)})`).join(', ')}`,
    ),
    `- [${SHARED_SECTION}](#${slug(SHARED_SECTION)})`,
  ];

  for (const { family, ops } of families) {
    out.push('', `## ${FAMILIES[family]}`);
    for (const op of ops) out.push('', ...renderOperation(op, typesOf(op)));
  }

  out.push('', `## ${SHARED_SECTION}`);
  for (const shape of SHARED_SHAPES) {
    const docs = mergeDocs(shape.docsFrom.map((name) => types.fieldDocsOf(shape.file, name)));
    const input = describeInput(shape.schema, { named: NAMED.filter((other) => other !== shape) });
    out.push('', `### ${shape.name}`, '', `${shape.about} Declared in [${shape.file}](${sourceLink(shape.file)}).`, '');
    out.push(...fieldTable(input.fields, docs));
  }
  return `${out.join('\n')}\n`;
}

function renderOperation(op: AnyOperation, types: OperationTypes): string[] {
  const named = NAMED.filter((shape) => !('operation' in shape && shape.operation === op.name));
  const input = describeInput(op.input as z.ZodType, { named, typeAt: types.typeAt });
  const optional = op.input.safeParse({}).success;
  const lines = [`### ${op.name}`, '', `\`${op.kind}\` · ${op.summary}`, ''];

  const documented = input.fields.some((field) => field.defaultValue !== undefined || field.description || types.fieldDocs.has(field.name));
  if (input.fields.length === 0 && input.signature === '{}') {
    lines.push('**Input:** none; call it with no argument (or `{}`).');
  } else if (input.fields.length === 0 || (!documented && input.fields.length <= 3 && input.signature.length <= 80)) {
    lines.push(`**Input:** \`${input.signature}\`${optional ? ' (may be omitted)' : ''}`);
  } else {
    lines.push(optional ? '**Input** (may be omitted):' : '**Input:**', '', ...fieldTable(input.fields, types.fieldDocs));
  }

  lines.push('', `**Returns:** ${returns(types)}`);
  return lines;
}

function fieldTable(fields: readonly FieldRow[], docs: ReadonlyMap<string, string>): string[] {
  return [
    '| Field | Type | Required | Default | Description |',
    '|---|---|---|---|---|',
    ...fields.map((field) =>
      [
        `\`${field.name}\``,
        typeCell(field.type),
        field.required ? 'yes' : 'no',
        field.defaultValue === undefined ? '' : `\`${field.defaultValue}\``,
        field.description ?? docs.get(field.name) ?? '',
      ]
        .map(cell)
        .join(' | '),
    ).map((row) => `| ${row} |`),
  ];
}

/** A field's type; a link when it is a named shape, or an array of one. */
function typeCell(type: string): string {
  const name = type.replace(/\[\]$/, '');
  if (SHARED_SHAPES.some((shape) => shape.name === name)) return `[\`${type}\`](#${slug(name)})`;
  const input = OPERATION_INPUTS.find((shape) => shape.name === name);
  return input ? `[\`${type}\`](#${slug(input.operation)})` : `\`${type}\``;
}

function returns(types: OperationTypes): string {
  const parts = [`\`${types.result}\``];
  if (types.resultKinds.length > 0) parts.push(` (\`kind\`: ${types.resultKinds.map((kind) => `\`${kind}\``).join(', ')})`);
  parts.push('.');
  if (types.resultRefs.length > 0) {
    parts.push(` See ${types.resultRefs.map((ref) => `[\`${ref.name}\`](${sourceLink(ref.file)})`).join(', ')}.`);
  }
  return parts.join('');
}

function mergeDocs(maps: readonly ReadonlyMap<string, string>[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const map of maps) for (const [field, doc] of map) if (!merged.has(field)) merged.set(field, doc);
  return merged;
}

/** A table cell: pipes escaped (GitHub reads `\|` as a pipe inside code spans too). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A path relative to the repository, as a link from docs/api.md. */
function sourceLink(file: string): string {
  return `../${file}`;
}

/** GitHub's heading anchor. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
