/**
 * JSON text for a value that JSON carries exactly as postMessage would, or
 * null. Engine calls sent through shared memory travel as JSON (see
 * batch-channel.ts); a call whose arguments JSON would change goes by
 * postMessage instead, so a caller never sees a difference: `undefined`
 * (JSON drops or nulls it), functions and symbols (postMessage refuses them,
 * JSON drops them), NaN, ±Infinity and -0 (JSON writes null or 0), bigints
 * (JSON throws), and any object but a plain object or array (a Date, a
 * Uint8Array, a Map, a class instance, or an object with its own toJSON).
 */

/** Thrown inside JSON.stringify to stop at the first value it would change. */
const NOT_PLAIN = Symbol('not plain JSON');

function check(this: unknown, key: string, value: unknown): unknown {
  // `value` is after toJSON; the holder's own property is what postMessage would clone.
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(raw) || Object.is(raw, -0)) throw NOT_PLAIN;
      return value;
    case 'object': {
      if (raw === null) return value;
      const proto = Object.getPrototypeOf(raw) as unknown;
      if (proto === Array.prototype) return value;
      if ((proto !== Object.prototype && proto !== null) || typeof (raw as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
      return value;
    }
    default:
      throw NOT_PLAIN;
  }
}

export function plainJson(value: unknown): string | null {
  try {
    return JSON.stringify(value, check);
  } catch {
    // NOT_PLAIN, or a cycle or a getter that throws: postMessage then fails too, and is the one to say so.
    return null;
  }
}
