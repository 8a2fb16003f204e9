/**
 * The browser backend's contract, shared by the worker and the page: its
 * configuration, status, snapshot and event shapes. Everything here is
 * plain, structured-cloneable data.
 */
import { z } from 'zod';
import type { EngineErrorCode, ErrorDetails } from '../api/errors.js';
import { OUTBOX_CHANNELS, type OutboxChannel, type OutboxEvent } from '../api/events.js';
import type { EventFilter } from '../api/subscriptions.js';
import type { EngineLimits } from '../engine/core/context.js';
import type { ScannerOptions } from '../scanners/build-scanners.js';
import type { ScannerReport } from '../scanners/scanner.js';
import type { SerializedError } from './wire.js';

export type PersistenceMode = 'indexeddb' | 'memory';

/** Where the engine runs. */
export type HostKind = 'shared-worker' | 'worker' | 'in-process';

/**
 * Saves after commits wait this long, so a burst of writes costs one save.
 * The timer starts at the first unsaved commit and is not pushed back by
 * later ones, so under a steady stream of writes data is still saved every
 * `persistDebounceMs`.
 */
export const DEFAULT_PERSIST_DEBOUNCE_MS = 250;

/** The options the worker builds its backend from (validated on both sides). */
export const backendConfigInput = z.strictObject({
  /** The database name; one engine and one IndexedDB database per name. */
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters'),
  /** @default 'indexeddb' */
  persistence: z.enum(['indexeddb', 'memory']).default('indexeddb'),
  /** @default 'real' */
  clock: z.enum(['real', 'manual']).default('real'),
  /** First reading of the manual clock. @default the current wall time */
  clockStartMs: z.number().int().min(0).optional(),
  /** Scanner intervals (see createEngine), or false for none. @default {} (all, default intervals) */
  scanners: z.custom<ScannerOptions | false>((v) => v === false || (typeof v === 'object' && v !== null), 'expected scanner options or false').default({}),
  /** @default 250 (see DEFAULT_PERSIST_DEBOUNCE_MS) */
  persistDebounceMs: z.number().int().min(0).max(60_000).default(DEFAULT_PERSIST_DEBOUNCE_MS),
  /** Mint ids from this seed (reproducible runs). @default random UUIDv4s */
  seed: z.number().int().optional(),
  limits: z.custom<Partial<EngineLimits>>((v) => typeof v === 'object' && v !== null, 'expected an object').optional(),
});
export type BackendConfigInput = z.input<typeof backendConfigInput>;
export type BackendConfig = z.output<typeof backendConfigInput>;

/** A thrown EngineError as plain data. */
export interface PlainError {
  code: EngineErrorCode;
  message: string;
  details: ErrorDetails;
}

export interface BackendStatus {
  name: string;
  host: HostKind;
  persistence: PersistenceMode;
  clock: 'real' | 'manual';
  schemaVersion: number;
  /** Whether the engine started from a saved image or created a new database. */
  openedFrom: 'saved-image' | 'new-database';
  /** Committed writes on this database, counted across reloads (restored from the saved image's metadata). */
  sequence: number;
  /** The sequence of the newest saved image. */
  persistedSequence: number;
  /** True while commits are not yet in the saved image. */
  unsavedChanges: boolean;
  /** Size of the newest saved (or loaded) image. */
  imageBytes: number;
  /** Wall-clock time of the newest successful save, or null. */
  lastPersistedAtMs: number | null;
  /** What the newest successful save cost and wrote, or null before the first. */
  lastSave: SaveStats | null;
  /** The error of the newest save attempt, or null once a save succeeds. */
  lastError: PlainError | null;
  /** Clients connected to this engine (tabs, with a SharedWorker). */
  connections: number;
  subscriptions: number;
  /**
   * Start-up cost: opening the store (store), then reading the saved image (load) while the drivers get ready
   * (ready: SQLite's WebAssembly, both counted from the same moment), opening the image in SQLite (open), then
   * migrations and the engine (migrate); total counts from the host's start, so it is store + the longer of
   * load and ready + open + migrate. In a worker, bootMs is what came before the host's start, from the worker's
   * creation: its script loading and running (scriptMs of it), SQLite's WebAssembly, the page's open message
   * and the owner lock; 0 in-process.
   */
  startup: { bootMs: number; scriptMs: number; loadedScriptMs: number; storeMs: number; loadMs: number; readyMs: number; openMs: number; migrateMs: number; totalMs: number };
}

export interface SaveStats {
  /** Export (or chunk copy) plus store write, in the worker. */
  ms: number;
  /** Taking the bytes to save: the whole image exported, or only the written chunks copied (SQLite WASM driver). */
  exportMs: number;
  /** Only the chunks that changed since the previous save are written (IndexedDB). */
  bytesWritten: number;
  chunksWritten: number;
  chunks: number;
  /** 'delta': one record of the pages written; 'chunks': chunks rewritten and the deltas folded in; 'image': compared with the stored image (sql.js). */
  kind?: 'delta' | 'chunks' | 'image' | undefined;
  /** Deltas the store holds on top of its chunks after this save. */
  deltas?: number | undefined;
  durability: 'strict' | 'relaxed';
}

export interface FlushResult {
  /** Everything up to this sequence is saved. */
  persistedSequence: number;
  imageBytes: number;
}

/** A whole database, with what is needed to check it before importing it. */
export interface Snapshot {
  format: 'ff-backend-browser/sqlite';
  /** The SQLite database image. */
  image: Uint8Array;
  schemaVersion: number;
  sequence: number;
  /** SHA-256 of `image`, lowercase hex. */
  checksum: string;
  createdAtMs: number;
}

export type BackendChannel = OutboxChannel | 'scanner';
export const BACKEND_CHANNELS: readonly BackendChannel[] = [...OUTBOX_CHANNELS, 'scanner'];

export interface ScannerEvent {
  channel: 'scanner';
  report: ScannerReport;
}

/** An event as a subscriber receives it: `cursor` is its resume point. */
export type BackendEvent = (OutboxEvent | ScannerEvent) & { cursor: string };

export interface SubscribeOptions {
  /** @default every channel: completion, lease, budget, operator, signal, stream, scanner */
  channels?: BackendChannel[];
  /**
   * Resume points: the cursor of the last event seen, one per channel.
   * Delivery starts right after it (catch-up from the outbox, then live
   * events, with no gap and no duplicate). A channel without a cursor starts
   * with events committed from now on; `'<channel>:0'` replays an outbox
   * from its start.
   */
  from?: string[];
  /**
   * Only outbox events of this namespace and/or instance tag (the value of
   * the execution's `cairn.instance_id` tag); scanner reports are not
   * filtered. Budget events carry neither, so a filtered subscription gets none.
   */
  filter?: EventFilter;
}

export interface SubscriptionInfo {
  id: number;
  /**
   * Scanner events that could not be replayed: scanner reports are kept in a
   * ring of the newest SCANNER_RING_SIZE, not in an outbox.
   */
  scannerEventsLost: number;
}

/** What the page hands the worker to receive events (a comlink proxy). */
export interface EventSink {
  deliver(events: BackendEvent[]): void;
}

/** What `open` answers: enough for the page to watch the worker's liveness. */
export interface Hello {
  host: HostKind;
  schemaVersion: number;
  /** A Web Lock the worker holds for its whole life (when Web Locks exist): granted to a waiter only once the worker is gone. */
  aliveLock: string | null;
}

export interface ClientInfo {
  /** A Web Lock the page holds while it is connected (when Web Locks exist), so the worker can drop a vanished tab's subscriptions. */
  aliveLock: string | null;
}

/** One engine call of a batch: method name and arguments. */
export type BatchCall = [method: string, args: unknown[]];
/**
 * A batch's outcome, as it crosses the boundary: each call's value in
 * order, and the errors (plain data, see wire.ts) by index, usually none. A
 * failed call's value slot is undefined (no holes: map() would skip one).
 * Built like this on the worker side and read like this on the page side,
 * with no object per call in between.
 */
export interface BatchOutcome {
  values: unknown[];
  errors?: Record<number, SerializedError>;
}

/** In-worker timing for the benchmarks: N operations with no boundary in between. */
export interface MeasureInput {
  op: 'createExecution' | 'claimComplete' | 'now' | 'exportImage';
  count: number;
  laneId?: string;
  payloadBytes?: number;
}
export interface MeasureResult {
  count: number;
  elapsedMs: number;
}
