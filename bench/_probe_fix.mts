import { createEngine, type Engine } from '../src/engine/engine.ts';
import { createSqlJsDriver } from '../src/db/sqljs-driver.ts';
import { createBetterSqlite3Driver } from '../src/db/better-sqlite3-driver.ts';
import { RealClock } from '../src/engine/clock.ts';
const CLAIM = { laneId: 'bench', workerId: 'w', workerInstanceId: 'wi', leaseTtlMs: 600000 };
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
function seed(e: Engine, n: number) { for (let d = 0; d < n; d += 5000) e.createExecutions({ executions: Array.from({ length: Math.min(5000, n - d) }, () => ({ laneId: 'bench' })) }); }
function t(f: () => unknown) { const a = performance.now(); f(); return (performance.now() - a) * 1000; }
for (const variant of ['sqljs', 'sqljs+excl', 'native', 'sqljs+idx', 'sqljs+excl+idx', 'native+idx']) {
  const driver = variant.startsWith('native') ? await createBetterSqlite3Driver() : await createSqlJsDriver();
  if (variant.includes('excl')) driver.exec('PRAGMA locking_mode = EXCLUSIVE');
  const engine = await createEngine({ devMode: true, driver, clock: new RealClock(), banner: false });
  if (variant.includes('idx')) driver.exec(`CREATE INDEX ff_probe_delayed_lane_idx ON ff_exec_core (lane_id, eligible_at_ms) WHERE eligibility_state = 'not_eligible_until_time'`);
  seed(engine, 3200);
  const hs = Array.from({ length: 3200 }, () => engine.claim(CLAIM)!);
  const complete = hs.map((h) => t(() => engine.completeExecution({ handle: h }))).slice(200);
  seed(engine, 3200);
  const pair = Array.from({ length: 3200 }, () => t(() => engine.completeExecution({ handle: engine.claim(CLAIM)! }))).slice(200);
  const backlog: number[] = [];
  for (const q of [1000, 100000]) {
    const e2 = await createEngine({ devMode: true, driver: variant.startsWith('native') ? await createBetterSqlite3Driver() : await createSqlJsDriver(), clock: new RealClock(), banner: false });
    if (variant.includes('excl')) e2.driver.exec('PRAGMA locking_mode = EXCLUSIVE');
    if (variant.includes('idx')) e2.driver.exec(`CREATE INDEX ff_probe_delayed_lane_idx ON ff_exec_core (lane_id, eligible_at_ms) WHERE eligibility_state = 'not_eligible_until_time'`);
    seed(e2, q);
    const s: number[] = [];
    for (let i = 0; i < 350; i++) { const d = t(() => e2.claim(CLAIM)); if (i >= 50) s.push(d); e2.createExecution({ laneId: 'bench' }); }
    backlog.push(med(s));
    e2.close();
  }
  console.log(variant.padEnd(16), 'complete p50', med(complete).toFixed(0), 'pair p50', med(pair).toFixed(0), 'claim p50 @1k', backlog[0]!.toFixed(0), '@100k', backlog[1]!.toFixed(0), 'ratio', (backlog[1]! / backlog[0]!).toFixed(2));
  engine.close();
}
