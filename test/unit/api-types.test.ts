/**
 * Type tests: they pin the public API's shapes. They run as ordinary tests
 * (expectTypeOf is a no-op at run time) and are checked by `tsc`, which
 * `npm test` runs first, so an accidental change to a public type fails it.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  BrowserBackend,
  ClaimInput,
  CompleteExecutionResult,
  CreateExecutionResult,
  Engine,
  EngineError,
  EngineErrorCode,
  ExecutionInfo,
  FailExecutionResult,
  Handle,
  PublicState,
  ScannerName,
} from '../../src/index.js';
import type { WaitForEventInput } from '../../src/testing/index.js';
import { createBrowserBackend, createEngine, decodeHandle, encodeHandle } from '../../src/index.js';

describe('public API types', () => {
  it('createEngine and createBrowserBackend', () => {
    expectTypeOf(createEngine).returns.toEqualTypeOf<Promise<Engine>>();
    expectTypeOf(createBrowserBackend).returns.toEqualTypeOf<Promise<BrowserBackend>>();
    expectTypeOf<Parameters<typeof createEngine>[0]['devMode']>().toEqualTypeOf<true>();
  });

  it('the in-process engine is synchronous; the browser client returns promises', () => {
    expectTypeOf<ReturnType<Engine['claim']>>().toEqualTypeOf<Handle | null>();
    expectTypeOf<ReturnType<BrowserBackend['claim']>>().toEqualTypeOf<Promise<Handle | null>>();
    expectTypeOf<ReturnType<Engine['readExecutionState']>>().toEqualTypeOf<PublicState | null>();
    expectTypeOf<ReturnType<Engine['readExecutionInfo']>>().toEqualTypeOf<ExecutionInfo | null>();
  });

  it('results are unions discriminated by kind', () => {
    expectTypeOf<CreateExecutionResult['kind']>().toEqualTypeOf<'created' | 'duplicate'>();
    expectTypeOf<FailExecutionResult['kind']>().toEqualTypeOf<'retry_scheduled' | 'terminal_failed'>();
    expectTypeOf<CompleteExecutionResult>().toEqualTypeOf<{ kind: 'completed'; executionId: string; publicState: 'completed' }>();
  });

  it('the handle is plain data and round-trips through the wire codec', () => {
    expectTypeOf<Handle>().toMatchTypeOf<{ backend: string; executionId: string; leaseEpoch: number; attemptIndex: number }>();
    expectTypeOf(encodeHandle).returns.toEqualTypeOf<Uint8Array>();
    expectTypeOf(decodeHandle).returns.toEqualTypeOf<Handle>();
  });

  it('claim input: the worker fields are required, capabilities optional', () => {
    expectTypeOf<ClaimInput>().toHaveProperty('leaseTtlMs').toEqualTypeOf<number>();
    expectTypeOf<{ laneId: string; workerId: string; workerInstanceId: string; leaseTtlMs: number }>().toMatchTypeOf<ClaimInput>();
  });

  it('errors carry a typed code and plain details', () => {
    expectTypeOf<EngineError['code']>().toEqualTypeOf<EngineErrorCode>();
    expectTypeOf<EngineError['details']>().toEqualTypeOf<Record<string, unknown>>();
  });
});

describe('tight types', () => {
  it('scanner names are a union, and a misspelt one does not compile', () => {
    type NextDueInput = NonNullable<Parameters<Engine['nextDue']>[0]>;
    expectTypeOf<NonNullable<NextDueInput['scanner']>>().toEqualTypeOf<ScannerName>();
    // @ts-expect-error 'budget_rest' is not a scanner
    const misspelt: NextDueInput = { scanner: 'budget_rest' };
    void misspelt;
  });

  it("waitForEvent's match is a deep partial of the channel's event", () => {
    const good: WaitForEventInput<'budget'> = { channel: 'budget', match: { budgetId: 'daily', eventType: 'reset', details: {} } };
    // @ts-expect-error budgetID is not a field of a budget event
    const badKey: WaitForEventInput<'budget'> = { channel: 'budget', match: { budgetID: 'daily' } };
    // @ts-expect-error 'reest' is not a budget event type
    const badValue: WaitForEventInput<'budget'> = { channel: 'budget', match: { budgetId: 'daily', eventType: 'reest' } };
    void [good, badKey, badValue];
  });
});
