/** The template engine: migrate once, then a fresh engine per test from a copy of the image. */
import { describe, expect, it } from 'vitest';
import { createEngineTemplate, ManualClock } from '../../src/index.js';
import { DRIVER, openDriver } from './helpers.js';

describe('createEngineTemplate', () => {
  it('gives each engine its own copy: what one writes, the next never sees', async () => {
    const template = await createEngineTemplate({ devMode: true, openDriver });
    const a = await template.create({ clock: new ManualClock(5_000) });
    a.createExecution({ laneId: 'l' });
    expect(a.listLanes().lanes).toHaveLength(1);
    expect(a.now()).toBe(5_000);
    const b = await template.create();
    expect(b.listLanes().lanes).toHaveLength(0);
    expect(b.scannerStates()).toEqual([]);
    a.close();
    b.close();
  });

  // The default driver is sql.js; the native run covers the openDriver path above.
  it.skipIf(DRIVER !== 'sql.js')('opens on sql.js by default, with the schema already in place', async () => {
    const template = await createEngineTemplate({ devMode: true });
    const engine = await template.create({ scanners: {} });
    expect(engine.driver.kind).toBe('sql.js');
    expect(engine.scannerStates().length).toBeGreaterThan(0);
    expect(engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'd' }] }).kind).toBe('created');
    engine.close();
  });

  it('refuses to start without devMode', async () => {
    await expect(createEngineTemplate({} as never)).rejects.toMatchObject({ code: 'validation.invalid_input', details: { field: 'devMode' } });
  });
});
