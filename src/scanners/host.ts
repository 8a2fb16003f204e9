import type { EngineContext } from '../engine/core/context.js';

/** What a scanner needs from the engine: its context and its transaction runner. */
export interface ScannerHost {
  readonly ctx: EngineContext;
  /** One write transaction; events are delivered after COMMIT. */
  run<T>(op: string, body: () => T): T;
  /** A read outside any transaction. */
  read<T>(op: string, body: () => T): T;
  /** Called by the retention trimmer before it deletes anything (outside any transaction): see Engine.onBeforeTrim. */
  beforeTrim?(): void;
}
