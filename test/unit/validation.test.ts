import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchError, makeEngine, sameImage, WORKER } from './helpers.js';

const GOOD_ID = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';

describe('bad input: a validation error names the field and writes nothing', () => {
  const cases: Array<[string, (e: Awaited<ReturnType<typeof makeEngine>>['engine']) => unknown, string]> = [
    ['execution id without prefix', (e) => e.createExecution({ laneId: 'l', executionId: '0b5a3c1e-8a5d-4c7e-9f00-123456789abc' }), 'executionId'],
    ['execution id with bad uuid', (e) => e.createExecution({ laneId: 'l', executionId: '{fp:0}:not-a-uuid' }), 'executionId'],
    ['partition beyond u16', (e) => e.createExecution({ laneId: 'l', executionId: '{fp:70000}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc' }), 'executionId'],
    ['empty lane', (e) => e.createExecution({ laneId: '' }), 'laneId'],
    ['control chars in lane', (e) => e.createExecution({ laneId: 'a\u0000b' }), 'laneId'],
    ['fractional priority', (e) => e.createExecution({ laneId: 'l', priority: 1.5 }), 'priority'],
    ['priority beyond i32', (e) => e.createExecution({ laneId: 'l', priority: 2 ** 31 }), 'priority'],
    ['negative delayUntil', (e) => e.createExecution({ laneId: 'l', delayUntil: -1 }), 'delayUntil'],
    ['unknown backoff type', (e) => e.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'linear' } as never } }), 'retryPolicy.backoff.type'],
    ['negative maxRetries', (e) => e.createExecution({ laneId: 'l', retryPolicy: { maxRetries: -1 } }), 'retryPolicy.maxRetries'],
    ['unknown key (typo)', (e) => e.createExecution({ laneId: 'l', priorty: 3 } as never), '(input)'],
    ['payload of the wrong type', (e) => e.createExecution({ laneId: 'l', payload: 42 as never }), 'payload'],
    ['zero lease TTL', (e) => e.claim({ laneId: 'l', ...WORKER, leaseTtlMs: 0 }), 'leaseTtlMs'],
    ['missing worker id', (e) => e.claim({ laneId: 'l', workerInstanceId: 'i', leaseTtlMs: 10 } as never), 'workerId'],
    ['unknown failure class', (e) => e.failExecution({ handle: {} as never, reason: 'x', failureClass: 'meh' as never }), 'handle.backend'],
    ['unknown public state filter', (e) => e.listExecutions({ publicState: 'running' as never }), 'publicState'],
    ['limit 0', (e) => e.listExecutions({ limit: 0 }), 'limit'],
    ['garbage cursor', (e) => e.listExecutions({ cursor: '!!!' }), 'cursor'],
    ['read with malformed id', (e) => e.readExecutionInfo({ executionId: 'nope' }), 'executionId'],
    ['percent above 100', (e) => e.progress({ handle: {} as never, percent: 101 }), 'handle.backend'],
  ];

  for (const [label, fn, field] of cases) {
    it(label, async () => {
      const { engine } = await makeEngine();
      engine.createExecution({ laneId: 'l', executionId: GOOD_ID });
      const before = engine.exportImage();
      const err = catchError(() => fn(engine));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      expect(Array.isArray(err.details['issues'])).toBe(true);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }

  it('an oversized payload is rejected against the configured limit', async () => {
    const { engine } = await makeEngine({ maxPayloadBytes: 1_000 });
    const err = catchError(() => engine.createExecution({ laneId: 'l', payload: 'é'.repeat(501) }));
    expect(err).toMatchObject({ code: 'validation.invalid_input', details: { field: 'payload', bytes: 1002, limit: 1000 } });
    expect(engine.createExecution({ laneId: 'l', payload: 'é'.repeat(500) }).kind).toBe('created');
    expect(catchError(() => engine.createExecution({ laneId: 'l', payload: new Uint8Array(1001) })).details['field']).toBe('payload');
  });

  it('a batch with one bad entry creates nothing', async () => {
    const { engine } = await makeEngine();
    const err = catchError(() => engine.createExecutions({ executions: [{ laneId: 'l' }, { laneId: '' }] }));
    expect(err.details['field']).toBe('executions.1.laneId');
    expect(engine.listExecutions().executions).toHaveLength(0);
  });

  it('property: a rejected createExecution input leaves the database byte-identical', async () => {
    const { engine } = await makeEngine();
    let image = engine.exportImage();
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.record(
          {
            laneId: fc.oneof(fc.string(), fc.constant(''), fc.integer()),
            priority: fc.oneof(fc.integer(), fc.double(), fc.string()),
            delayUntil: fc.oneof(fc.integer({ min: -1e16, max: 1e16 }), fc.double()),
            requiredCapabilities: fc.array(fc.oneof(fc.string(), fc.integer())),
            retryPolicy: fc.oneof(fc.constant(undefined), fc.record({ maxRetries: fc.integer({ min: -5, max: 20_000 }) })),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          try {
            engine.createExecution(input as never);
            image = engine.exportImage(); // a valid input may succeed
          } catch (err) {
            rejected++;
            expect((err as { code: string }).code).toBe('validation.invalid_input');
            expect(sameImage(engine.exportImage(), image)).toBe(true);
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
    expect(rejected).toBeGreaterThan(50);
  });
});
