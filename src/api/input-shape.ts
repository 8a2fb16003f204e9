/**
 * Checks every input gets before its schema: rules that hold for any field
 * of any operation, so no schema can forget them.
 *
 * - Strings (values and keys) must be well-formed UTF-16. A lone surrogate
 *   cannot be stored as UTF-8: SQLite would turn it into U+FFFD, so two
 *   different ids would become one id nobody can read back.
 * - No own key may be `__proto__`: a parsed object would silently lose it.
 * - Nesting is bounded, so a deep or cyclic input is a validation error
 *   rather than a stack overflow.
 */

/** Deeper than any input of the API (a flow batch of executions with tags is 4). */
export const MAX_INPUT_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Any surrogate at all: a cheaper first test, since almost every string has none (this runs on every call).
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function illFormed(text: string): boolean {
  return ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text);
}

export interface ShapeProblem {
  path: string;
  message: string;
}

/** The first rule `input` breaks, with the path of the offending field, or null. */
export function findShapeProblem(input: unknown): ShapeProblem | null {
  return walk(input, '', 0);
}

function walk(value: unknown, path: string, depth: number): ShapeProblem | null {
  if (typeof value === 'string') {
    return illFormed(value) ? { path, message: 'must be well-formed text (it contains a lone UTF-16 surrogate)' } : null;
  }
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return null;
  if (depth >= MAX_INPUT_DEPTH) return { path, message: `nested more than ${MAX_INPUT_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], join(path, String(i)), depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    // A bad key is reported on the object that holds it (`tags`), since the key is not a field.
    if (key === '__proto__') return { path, message: "'__proto__' is not allowed as a key" };
    if (illFormed(key)) return { path, message: `key ${JSON.stringify(key)} must be well-formed text (it contains a lone UTF-16 surrogate)` };
    const problem = walk((value as Record<string, unknown>)[key], join(path, key), depth + 1);
    if (problem) return problem;
  }
  return null;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
