/**
 * The raw SQLite WASM exports the sqlite-wasm driver calls, and the scratch
 * buffer that text, blobs and SQL cross into the WASM heap through. Calling
 * the exports directly (rather than the library's wrappers) keeps a bind,
 * step and row read to what sql.js's cost, without per-call argument
 * conversion layers.
 */
import type { SqlValue } from './driver.js';
import type { WasmSqlite } from './page-vfs.js';

const INTEGER = 1;
const FLOAT = 2;
const TEXT = 3;
const BLOB = 4;
/** SQLITE_TRANSIENT: SQLite copies the bound bytes, so one scratch buffer serves every bind. */
const TRANSIENT = -1;

/** The WASM exports the driver calls, all taking and returning plain numbers (pointers are 32-bit). */
export interface Exports {
  sqlite3_open_v2(zName: number, ppDb: number, flags: number, zVfs: number): number;
  sqlite3_close_v2(db: number): number;
  sqlite3_exec(db: number, zSql: number, cb: number, arg: number, pzErr: number): number;
  sqlite3_prepare_v3(db: number, zSql: number, n: number, flags: number, ppStmt: number, pzTail: number): number;
  sqlite3_finalize(stmt: number): number;
  sqlite3_step(stmt: number): number;
  sqlite3_reset(stmt: number): number;
  sqlite3_bind_null(stmt: number, i: number): number;
  sqlite3_bind_int(stmt: number, i: number, v: number): number;
  sqlite3_bind_int64(stmt: number, i: number, v: bigint): number;
  sqlite3_bind_double(stmt: number, i: number, v: number): number;
  sqlite3_bind_text(stmt: number, i: number, p: number, n: number, dtor: number): number;
  sqlite3_bind_blob(stmt: number, i: number, p: number, n: number, dtor: number): number;
  sqlite3_column_count(stmt: number): number;
  sqlite3_column_name(stmt: number, i: number): number;
  sqlite3_column_type(stmt: number, i: number): number;
  sqlite3_column_double(stmt: number, i: number): number;
  sqlite3_column_text(stmt: number, i: number): number;
  sqlite3_column_blob(stmt: number, i: number): number;
  sqlite3_column_bytes(stmt: number, i: number): number;
  sqlite3_changes(db: number): number;
  sqlite3_errmsg(db: number): number;
  sqlite3_malloc(n: number): number;
  sqlite3_free(p: number): void;
}

export type Sqlite3 = WasmSqlite & { wasm: WasmSqlite['wasm'] & { exports: Exports } };

/** Text and blobs cross into the WASM heap through one growing scratch buffer. */
export class Heap {
  private scratch = 0;
  private capacity = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(private readonly sqlite3: Sqlite3) {}

  get u8(): Uint8Array {
    return this.sqlite3.wasm.heap8u();
  }

  /** Copy bytes (or UTF-8 text, NUL-terminated) to `pointer`; returns the byte length (without the NUL). */
  put(value: string | Uint8Array): number {
    const need = typeof value === 'string' ? value.length * 3 + 1 : value.byteLength;
    if (need > this.capacity || this.scratch === 0) {
      const ex = this.sqlite3.wasm.exports;
      if (this.scratch) ex.sqlite3_free(this.scratch);
      this.capacity = Math.max(need, 256, this.capacity * 2);
      this.scratch = ex.sqlite3_malloc(this.capacity);
      if (!this.scratch) throw new Error('sqlite-wasm: out of memory');
    }
    const heap = this.u8;
    if (typeof value !== 'string') {
      heap.set(value, this.scratch);
      return value.byteLength;
    }
    // Short ASCII strings (ids, states, lane names) are the common case and copy faster by hand.
    let n = 0;
    const p = this.scratch;
    for (; n < value.length; n++) {
      const c = value.charCodeAt(n);
      if (c >= 0x80) break;
      heap[p + n] = c;
    }
    if (n < value.length) n += this.encoder.encodeInto(value.slice(n), heap.subarray(p + n, p + this.capacity - 1)).written;
    heap[p + n] = 0;
    return n;
  }

  /** The scratch buffer; valid until the next put(). */
  get pointer(): number {
    return this.scratch;
  }

  text(p: number, n: number): string {
    const heap = this.u8;
    if (n < 64) {
      let s = '';
      for (let i = 0; i < n; i++) {
        const c = heap[p + i]!;
        if (c >= 0x80) return this.decoder.decode(heap.subarray(p, p + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.decoder.decode(heap.subarray(p, p + n));
  }

  cstr(p: number): string {
    const heap = this.u8;
    let end = p;
    while (heap[end] !== 0) end++;
    return this.decoder.decode(heap.subarray(p, end));
  }

  /** Bind one value the way sql.js does (numbers as int32 or double); returns SQLite's result code. */
  bind(stmt: number, i: number, value: SqlValue | boolean | bigint): number {
    const ex = this.sqlite3.wasm.exports;
    if (value === null || value === undefined) return ex.sqlite3_bind_null(stmt, i);
    if (typeof value === 'number') return value === (value | 0) ? ex.sqlite3_bind_int(stmt, i, value) : ex.sqlite3_bind_double(stmt, i, value);
    if (typeof value === 'string') {
      const n = this.put(value); // before reading the pointer: it may move the scratch buffer
      return ex.sqlite3_bind_text(stmt, i, this.scratch, n, TRANSIENT);
    }
    if (typeof value === 'boolean') return ex.sqlite3_bind_int(stmt, i, value ? 1 : 0);
    if (typeof value === 'bigint') return ex.sqlite3_bind_int64(stmt, i, value);
    if (value instanceof Uint8Array) {
      this.put(value);
      return ex.sqlite3_bind_blob(stmt, i, this.scratch, value.byteLength, TRANSIENT);
    }
    throw new Error(`cannot bind a value of type ${typeof value}`);
  }

  /** Column `i` of the current row, typed as sql.js returns it (integers as numbers, blobs copied). */
  column(stmt: number, i: number): unknown {
    const ex = this.sqlite3.wasm.exports;
    switch (ex.sqlite3_column_type(stmt, i)) {
      case INTEGER:
      case FLOAT:
        return ex.sqlite3_column_double(stmt, i);
      case TEXT: {
        const p = ex.sqlite3_column_text(stmt, i);
        return this.text(p, ex.sqlite3_column_bytes(stmt, i));
      }
      case BLOB: {
        const p = ex.sqlite3_column_blob(stmt, i);
        return this.u8.slice(p, p + ex.sqlite3_column_bytes(stmt, i));
      }
      default:
        return null;
    }
  }

  free(): void {
    if (this.scratch) this.sqlite3.wasm.exports.sqlite3_free(this.scratch);
    this.scratch = 0;
    this.capacity = 0;
  }
}
