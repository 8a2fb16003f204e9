/**
 * A backend worker that never starts: the page must learn why, as
 * EngineError('unavailable') carrying the worker's own message, not as a
 * generic "the worker is gone" ('closed', which is for a worker that was
 * running). Over a real Node worker thread and a real host.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/api/errors.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import { channelBackend, rejection, threadBackend } from './boundary-helpers.js';


describe('a worker that fails to start', () => {
  it('rejects the connect with unavailable and the error the worker threw', async () => {
    const err = await rejection(threadBackend({ failAtStart: 'sql.js glue is not an ES module' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('failed to start');
    expect(err.message).toContain('sql.js glue is not an ES module');
    expect(String(err.details['reason'])).toContain('sql.js glue is not an ES module');
  });

  it('rejects with unavailable and the message when the worker runs but cannot build its backend', async () => {
    const host = new BackendHost({
      kind: 'worker',
      deps: () => Promise.reject(new TypeError('WebAssembly.instantiate(): expected magic word 00 61 73 6d')),
    });
    const err = await rejection(channelBackend({}, undefined, host));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('expected magic word');
  });

  it("keeps the code of a refusal that is the backend's own", async () => {
    const host = new BackendHost({
      kind: 'worker',
      deps: () => Promise.reject(new EngineError('persistence', 'IndexedDB refused to open', { name: 'unit' })),
    });
    const err = await rejection(channelBackend({}, undefined, host));
    expect(err).toMatchObject({ code: 'persistence', message: 'IndexedDB refused to open', details: { name: 'unit' } });
  });
});
