/**
 * listExecutions' `search`: a piece of the execution id, case aside,
 * combined with the other filters and with the cursor; bad text is refused.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/index.js';
import { makeEngine, TEST_START_MS } from './helpers.js';

const id = (uuid: string): string => `{fp:0}:${uuid}`;
const A1 = id('aaaa1111-0000-4000-8000-000000000001');
const A2 = id('aaaa2222-0000-4000-8000-000000000002');
const A3 = id('aaaa3333-0000-4000-8000-0000000000a3');
const B1 = id('bbbb1111-0000-4000-8000-000000000004');

async function seeded() {
  const made = await makeEngine();
  const { engine, clock } = made;
  expect(clock.now()).toBe(TEST_START_MS);
  for (const [executionId, laneId] of [
    [A1, 'mail'],
    [B1, 'mail'],
    [A2, 'sms'],
    [A3, 'mail'],
  ] as const) {
    engine.createExecution({ executionId, laneId });
    clock.advance(1);
  }
  return made;
}

const ids = (r: { executions: { executionId: string }[] }): string[] => r.executions.map((e) => e.executionId);

describe('listExecutions search', () => {
  it('matches any part of the id: the first digits, the middle, the partition tag, the whole id', async () => {
    const { engine } = await seeded();
    expect(ids(engine.listExecutions({ search: 'aaaa' }))).toEqual([A1, A2, A3]);
    expect(ids(engine.listExecutions({ search: 'aaaa2222' }))).toEqual([A2]);
    expect(ids(engine.listExecutions({ search: '1111-0000' }))).toEqual([A1, B1]);
    expect(ids(engine.listExecutions({ search: '{fp:0}' }))).toEqual([A1, B1, A2, A3]);
    expect(ids(engine.listExecutions({ search: B1 }))).toEqual([B1]);
    expect(ids(engine.listExecutions({ search: 'cccc' }))).toEqual([]);
  });

  it('ignores case, as a pasted upper-case uuid is the same id', async () => {
    const { engine } = await seeded();
    expect(ids(engine.listExecutions({ search: 'AAAA3333' }))).toEqual([A3]);
    expect(ids(engine.listExecutions({ search: '0000000000A3' }))).toEqual([A3]);
  });

  it('matches % and _ as themselves, not as wildcards', async () => {
    const { engine } = await seeded();
    expect(ids(engine.listExecutions({ search: '%' }))).toEqual([]);
    expect(ids(engine.listExecutions({ search: 'aaaa_111' }))).toEqual([]);
  });

  it('combines with the lane and state filters, and pages with the cursor', async () => {
    const { engine } = await seeded();
    expect(ids(engine.listExecutions({ search: 'aaaa', laneId: 'mail' }))).toEqual([A1, A3]);
    expect(ids(engine.listExecutions({ search: 'aaaa', publicState: 'completed' }))).toEqual([]);
    const first = engine.listExecutions({ search: 'aaaa', limit: 2 });
    expect(ids(first)).toEqual([A1, A2]);
    expect(first.nextCursor).not.toBeNull();
    const second = engine.listExecutions({ search: 'aaaa', limit: 2, cursor: first.nextCursor! });
    expect(ids(second)).toEqual([A3]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses empty, over-long and control-character text with a validation error naming the field', async () => {
    const { engine } = await seeded();
    for (const search of ['', 'x'.repeat(257), 'aa\u0000']) {
      let caught: unknown;
      try {
        engine.listExecutions({ search });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(EngineError);
      expect(caught).toMatchObject({ code: 'validation.invalid_input', details: { field: 'search' } });
    }
  });
});
