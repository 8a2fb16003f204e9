/**
 * JSON merge patch (RFC 7396) with FlowFabric's null sentinel, for summary
 * frames. A JSON null in a merge patch deletes its key, so there is no way
 * to set a value to null; the sentinel string is that way. It counts only as
 * the value of a key in a patch object (at any depth), never inside an
 * array, where arrays are opaque values that replace whole.
 *
 * Written here rather than taken from a package: the sentinel changes the
 * algorithm itself (a patch library would delete the key or store the
 * string), and the whole algorithm is the few lines below. Property tests
 * (test/unit/merge-patch.test.ts) pin it to the RFC.
 */
import { SUMMARY_NULL_SENTINEL } from '../../api/streams.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The target with the patch applied; neither argument is modified. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  // A patch that is not an object replaces the document (RFC 7396 §2).
  if (!isObject(patch)) return patch;
  // Null-prototype objects: a '__proto__' key in a parsed patch stays a plain key.
  const result: { [key: string]: Json } = Object.assign(Object.create(null) as { [key: string]: Json }, isObject(target) ? target : {});
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value === SUMMARY_NULL_SENTINEL) result[key] = null;
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * Compact JSON with every object's keys in ascending order (by UTF-16 code
 * units, as JavaScript compares strings), so equal documents store and read
 * back as equal text.
 */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
