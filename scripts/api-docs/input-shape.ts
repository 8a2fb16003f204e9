/**
 * An operation's input, read from its zod schema at run time: zod's JSON
 * Schema (as the caller writes it, so defaulted fields are optional) is
 * rendered as a compact TypeScript-like type, and an object input as one row
 * per field. Nothing here throws on a schema it does not know: what JSON
 * Schema cannot express (a `z.custom`, say) is `unknown` unless `typeAt`
 * names it.
 */
import { z } from 'zod';

/** The part of JSON Schema that zod emits and this module reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  not?: JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
  description?: string;
  [key: string]: unknown;
}

/** A shape rendered by name (e.g. `Handle`) wherever its schema appears. */
export interface NamedShape {
  readonly name: string;
  readonly schema: z.ZodType;
}

export interface RenderOptions {
  /** Shapes to render by name instead of spelling them out. */
  readonly named?: readonly NamedShape[];
  /**
   * The type of the field at `path` (property names, `[]` for array items),
   * asked for a field whose schema has a part JSON Schema cannot express.
   */
  readonly typeAt?: (path: readonly string[]) => string | undefined;
}

export interface FieldRow {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** The default as a TypeScript literal, when the schema has one. */
  readonly defaultValue?: string;
  readonly description?: string;
}

export interface InputShape {
  /** The whole input as one TypeScript-like type. */
  readonly signature: string;
  /** One row per field, when the input is an object; else empty. */
  readonly fields: readonly FieldRow[];
}

/** zod's JSON Schema of `schema` as the caller writes it, without `$schema`. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json['$schema'];
  return json;
}

export function describeInput(schema: z.ZodType, options: RenderOptions = {}): InputShape {
  const root = inputJsonSchema(schema);
  const renderer = new Renderer(options, root.$defs ?? {});
  const properties = objectProperties(root);
  const fields = properties
    ? Object.entries(properties).map(([name, field]): FieldRow => ({
        name,
        type: renderer.field(field, [name]),
        required: root.required?.includes(name) ?? false,
        ...(field.default !== undefined ? { defaultValue: literal(field.default) } : {}),
        ...(field.description ? { description: field.description } : {}),
      }))
    : [];
  return { signature: renderer.type(root, []), fields };
}

/** The properties of a plain object schema, or undefined for anything else. */
function objectProperties(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  if (schema.type !== 'object' || schema.anyOf || schema.oneOf || schema.allOf) return undefined;
  return schema.properties ?? {};
}

class Renderer {
  private readonly named: { name: string; key: string }[];
  /** The `$defs` being rendered, to spell a recursive schema out once. */
  private readonly expanding = new Set<string>();

  constructor(
    private readonly options: RenderOptions,
    private readonly defs: Record<string, JsonSchema>,
  ) {
    this.named = (options.named ?? []).map((shape) => ({ name: shape.name, key: shapeKey(inputJsonSchema(shape.schema)) }));
  }

  /** A field's type: asks `typeAt` when JSON Schema lost part of it (not counting nested fields, asked for their own). */
  field(schema: JsonSchema | boolean, path: readonly string[]): string {
    if (hasUnknown(schema)) {
      const fromTypes = this.options.typeAt?.(path);
      if (fromTypes !== undefined) return fromTypes;
    }
    return this.type(schema, path);
  }

  type(schema: JsonSchema | boolean, path: readonly string[]): string {
    if (schema === true) return 'unknown';
    if (schema === false) return 'never';
    const key = shapeKey(schema);
    const named = this.named.find((shape) => shape.key === key);
    if (named) return named.name;
    if (schema.$ref !== undefined) return this.ref(schema.$ref, path);
    if ('const' in schema) return literal(schema.const);
    if (schema.enum) return union(schema.enum.map(literal));
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return union(alternatives.map((member) => this.type(member, path)));
    if (schema.allOf) return schema.allOf.map((member) => wrap(this.type(member, path))).join(' & ');
    if (schema.not) return 'never';
    if (Array.isArray(schema.type)) return union(schema.type.map((type) => this.type({ ...schema, type }, path)));
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return this.array(schema, path);
      case 'object':
        return this.object(schema, path);
      default:
        return 'unknown';
    }
  }

  /** A `$ref` (zod emits them for recursive schemas): spelled out, and `(recursive)` where it refers to itself. */
  private ref(ref: string, path: readonly string[]): string {
    const name = ref.slice(ref.lastIndexOf('/') + 1);
    const target = this.defs[name];
    if (!ref.startsWith('#/$defs/') || !target || this.expanding.has(name)) return '(recursive)';
    this.expanding.add(name);
    try {
      return this.type(target, path);
    } finally {
      this.expanding.delete(name);
    }
  }

  private array(schema: JsonSchema, path: readonly string[]): string {
    const itemPath = [...path, '[]'];
    if (schema.prefixItems) return `[${schema.prefixItems.map((item) => this.type(item, itemPath)).join(', ')}]`;
    if (Array.isArray(schema.items)) return `[${schema.items.map((item) => this.type(item, itemPath)).join(', ')}]`;
    if (!schema.items) return 'unknown[]';
    return `${wrap(this.field(schema.items, itemPath))}[]`;
  }

  private object(schema: JsonSchema, path: readonly string[]): string {
    const required = new Set(schema.required ?? []);
    const members = Object.entries(schema.properties ?? {}).map(
      ([name, field]) => `${propertyName(name)}${required.has(name) ? '' : '?'}: ${this.field(field, [...path, name])}`,
    );
    const extra = schema.additionalProperties;
    if (extra !== undefined && extra !== false) {
      const keys = schema.propertyNames ? this.type(schema.propertyNames, path) : 'string';
      const values = this.field(extra, [...path, '[]']);
      if (members.length === 0) return `Record<${keys}, ${values}>`;
      members.push(`[key: ${keys}]: ${values}`);
    }
    return members.length === 0 ? '{}' : `{ ${members.join('; ')} }`;
  }
}

/**
 * Whether `schema`, or one of its union or intersection members, is `{}`:
 * what an unrepresentable zod type becomes. Object properties and array
 * items are fields of their own, checked when they are rendered.
 */
function hasUnknown(schema: JsonSchema | boolean): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  if (Object.keys(schema).every((key) => key === 'description' || key === 'default')) return true;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].some(hasUnknown);
}

/** A schema's identity for matching named shapes: its JSON without default and description. */
function shapeKey(schema: JsonSchema): string {
  const { default: _default, description: _description, ...rest } = schema;
  return stableJson(rest);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** A JSON value as a TypeScript literal: `'text'`, `[]`, `{ type: 'fixed', delayMs: 1000 }`. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${propertyName(key)}: ${literal(item)}`).join(', ')} }`;
  }
  return String(value);
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}

function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

/** Parenthesize a union or intersection used as an array element or intersection member. */
function wrap(type: string): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < type.length; i++) {
    const char = type[i]!;
    if (quoted) {
      if (char === '\\') i++;
      else if (char === "'") quoted = false;
    } else if (char === "'") quoted = true;
    else if ('{([<'.includes(char)) depth++;
    else if ('})]>'.includes(char)) depth--;
    else if (depth === 0 && (char === '|' || char === '&')) return `(${type})`;
  }
  return type;
}
