/** listBudgetEvents: oldest first by default, newest first on request, and paging in both directions. */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { makeEngine } from './helpers.js';

/** `n` reports over the hard limit of 'b' (a breach each) with an admin reset every fifth: ids 1…n+⌊n/5⌋. */
function history(engine: Engine, n: number): void {
  engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', hardLimit: 1 }] });
  engine.createBudget({ budgetId: 'other', dimensions: [{ name: 'x', hardLimit: 1 }] });
  for (let i = 1; i <= n; i++) {
    engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 2 } });
    engine.reportUsageAdmin({ budgetId: 'other', usage: { x: 2 } });
    if (i % 5 === 0) engine.resetBudget({ budgetId: 'b' });
  }
}

const ids = (engine: Engine, input: Omit<Parameters<Engine['listBudgetEvents']>[0], 'budgetId'>): number[] =>
  engine.listBudgetEvents({ budgetId: 'b', ...input }).events.map((e) => e.eventId);

describe('listBudgetEvents', () => {
  it('newest first: the newest page, then older pages with beforeEventId', async () => {
    const { engine } = await makeEngine();
    history(engine, 100);
    const all = ids(engine, { limit: 200 });
    expect(all).toHaveLength(120);
    const newest = ids(engine, { newestFirst: true, limit: 50 });
    expect(newest).toEqual(all.slice(-50).reverse());
    const older = ids(engine, { newestFirst: true, beforeEventId: newest.at(-1)!, limit: 50 });
    expect(older).toEqual(all.slice(-100, -50).reverse());
    const oldest = ids(engine, { newestFirst: true, beforeEventId: older.at(-1)!, limit: 50 });
    expect(oldest).toEqual(all.slice(0, 20).reverse());
  });

  it('newest first after a cursor: only the newest `limit` of the events after it', async () => {
    const { engine } = await makeEngine();
    history(engine, 100);
    const all = ids(engine, { limit: 200 });
    expect(ids(engine, { newestFirst: true, afterEventId: all[9]!, limit: 5 })).toEqual(all.slice(-5).reverse());
    expect(ids(engine, { newestFirst: true, afterEventId: all.at(-3)!, limit: 50 })).toEqual(all.slice(-2).reverse());
    expect(ids(engine, { newestFirst: true, afterEventId: all.at(-1)!, limit: 50 })).toEqual([]);
  });

  it('newest first of one type, and both bounds together', async () => {
    const { engine } = await makeEngine();
    history(engine, 100);
    const resets = engine.listBudgetEvents({ budgetId: 'b', eventType: 'reset', newestFirst: true, limit: 3 }).events;
    expect(resets.map((e) => e.eventType)).toEqual(['reset', 'reset', 'reset']);
    expect(resets.map((e) => e.eventId)).toEqual(ids(engine, { eventType: 'reset', limit: 100 }).slice(-3).reverse());
    const all = ids(engine, { limit: 200 });
    expect(ids(engine, { afterEventId: all[9]!, beforeEventId: all[13]!, limit: 50 })).toEqual(all.slice(10, 13));
    expect(ids(engine, { afterEventId: all[9]!, beforeEventId: all[13]!, newestFirst: true, limit: 50 })).toEqual(all.slice(10, 13).reverse());
  });

  it('oldest first stays the default', async () => {
    const { engine } = await makeEngine();
    history(engine, 10);
    const page = ids(engine, { limit: 5 });
    expect(page).toEqual([...page].sort((a, b) => a - b));
    expect(ids(engine, { afterEventId: page.at(-1)!, limit: 5 })[0]).toBeGreaterThan(page.at(-1)!);
  });
});
