/**
 * Storage failures as EngineError('persistence'). A full disk or a storage
 * quota is flagged (`details.quotaExceeded`), so callers can tell "free some
 * space" from "the store is broken".
 */
import { EngineError } from '../api/errors.js';

export function persistenceError(op: string, store: string, err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : 'Error';
  const message = err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err) ? String((err as { message: unknown }).message) : String(err);
  const quotaExceeded = name === 'QuotaExceededError' || /quota/i.test(message);
  return new EngineError(
    'persistence',
    `${op} failed on ${store}: ${name}: ${message}${quotaExceeded ? ' (storage quota exceeded: free space, or export a snapshot and reset)' : ''}`,
    { op, store, cause: name, causeMessage: message, quotaExceeded },
  );
}
