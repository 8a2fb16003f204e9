/**
 * The manual clock's reading, kept in the database so it is saved with the
 * image: a reloaded or imported database resumes at the time it was left.
 */
import type { EngineContext } from '../core/context.js';

export function readVirtualNow(ctx: EngineContext): number | null {
  return ctx.db.prepare('SELECT now_ms FROM ff_virtual_clock WHERE singleton = 1').get<{ now_ms: number }>()?.now_ms ?? null;
}

export function recordVirtualNow(ctx: EngineContext, now: number): void {
  ctx.db
    .prepare(
      `INSERT INTO ff_virtual_clock (singleton, now_ms) VALUES (1, :now)
       ON CONFLICT (singleton) DO UPDATE SET now_ms = MAX(now_ms, excluded.now_ms)`,
    )
    .run({ now });
}
