import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageFile, type BlockDelta } from '../../src/db/page-file.js';
import { createSqliteWasmDriver, type SqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import { CHUNK_SIZE, joinChunks } from '../../src/persistence/image-chunks.js';
import { sameImage } from './helpers.js';

/** What a chunked store holds after each save of the dirty chunks. */
class Store {
  chunks: Uint8Array[] = [];
  bytes = 0;
  save(source: { takeDirty(): number[]; readChunk(i: number): Uint8Array; chunkCount(): number; bytes: number }): number[] {
    const dirty = source.takeDirty();
    for (const i of dirty) this.chunks[i] = source.readChunk(i);
    this.chunks.length = source.chunkCount();
    this.bytes = source.bytes;
    return dirty;
  }
  image(): Uint8Array | null {
    return joinChunks(this.chunks, this.bytes);
  }
}

const fileSource = (f: PageFile) => ({ takeDirty: () => f.takeDirty(), readChunk: (i: number) => f.readChunk(i), chunkCount: () => f.chunkCount(), bytes: f.size });
const driverSource = (d: SqliteWasmDriver) => ({
  takeDirty: () => d.takeDirty(),
  readChunk: (i: number) => d.readChunk(i),
  chunkCount: () => Math.ceil(d.imageBytes / CHUNK_SIZE),
  bytes: d.imageBytes,
});

/** The model file (one flat array) after a write of `bytes` at `offset`. */
function writtenModel(flat: Uint8Array, bytes: Uint8Array, offset: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(flat.byteLength, offset + bytes.byteLength));
  next.set(flat);
  next.set(bytes, offset);
  return next;
}

/** The model file after a truncate to `size` (growing zero-fills). */
function truncatedModel(flat: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(size);
  next.set(flat.subarray(0, size));
  return next;
}

describe('PageFile', () => {
  it('reads back what was written across chunk edges, zeros past the end, and reports a short read', () => {
    const f = new PageFile(16);
    f.write(Uint8Array.from({ length: 40 }, (_, i) => i + 1), 10);
    expect(f.size).toBe(50);
    const out = new Uint8Array(12);
    expect(f.read(out, 20)).toBe(true);
    expect([...out]).toEqual(Array.from({ length: 12 }, (_, i) => i + 11));
    expect(f.read(out, 45)).toBe(false);
    expect([...out]).toEqual([36, 37, 38, 39, 40, 0, 0, 0, 0, 0, 0, 0]);
    expect(f.takeDirty()).toEqual([0, 1, 2, 3]);
    expect(f.dirtyChunks()).toEqual([]);
  });

  it('a save of the dirty chunks always rebuilds the file, whatever the writes and truncates', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), offset: fc.nat(200), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant('truncate' as const), size: fc.nat(220) }),
      fc.record({ kind: fc.constant('save' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const f = new PageFile(16);
        let flat = new Uint8Array(0);
        const store = new Store();
        for (const o of ops) {
          if (o.kind === 'write') {
            f.write(o.bytes, o.offset);
            flat = writtenModel(flat, o.bytes, o.offset);
          } else if (o.kind === 'truncate') {
            f.truncate(o.size);
            flat = truncatedModel(flat, o.size);
          } else {
            store.save(fileSource(f));
          }
          expect(sameImage(f.image(), flat)).toBe(true);
        }
        store.save(fileSource(f));
        expect(sameImage(store.image()!, flat)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('chunks plus deltas replayed in order always rebuild the file, and a compaction from the live or the replayed file folds them exactly', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), offset: fc.nat(200), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant('truncate' as const), size: fc.nat(220) }),
      fc.record({ kind: fc.constant('delta' as const) }),
      fc.record({ kind: fc.constant('compact' as const) }),
      fc.record({ kind: fc.constant('reopen' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let f = new PageFile(16, 4);
        let flat = new Uint8Array(0);
        const store = new Store();
        let deltas: BlockDelta[] = [];
        /** What a load does: the chunks, then the deltas replayed; the chunks they changed stay marked. */
        const replayed = (): PageFile => {
          const file = PageFile.fromChunks(store.chunks.map((c) => c.slice()), store.bytes, 16, 4);
          file.takeDirty();
          for (const d of deltas) file.apply(d);
          file.takeBlocks(false);
          return file;
        };
        const compact = (): void => {
          f.takeBlocks(false);
          store.save(fileSource(f));
          deltas = [];
        };
        compact();
        for (const o of ops) {
          if (o.kind === 'write') {
            f.write(o.bytes, o.offset);
            flat = writtenModel(flat, o.bytes, o.offset);
          } else if (o.kind === 'truncate') {
            f.truncate(o.size);
            flat = truncatedModel(flat, o.size);
          } else if (o.kind === 'delta') {
            deltas.push(f.takeBlocks());
            expect(sameImage(replayed().image(), flat)).toBe(true);
          } else if (o.kind === 'compact') {
            compact();
            expect(sameImage(store.image()!, flat)).toBe(true);
          } else {
            // A cold start: the live file is dropped, the stored one replayed takes its place.
            deltas.push(f.takeBlocks());
            f = replayed();
          }
          expect(sameImage(f.image(), flat)).toBe(true);
        }
        deltas.push(f.takeBlocks());
        expect(sameImage(replayed().image(), flat)).toBe(true);
        compact();
        expect(sameImage(store.image()!, flat)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('takeBlocks copies the blocks written since the last one, and restoreBlocks marks them again', () => {
    const f = new PageFile(16, 4);
    f.write(Uint8Array.of(1, 2, 3, 4, 5, 6), 2);
    const first = f.takeBlocks();
    expect(first).toMatchObject({ bytes: 8, minBytes: 0, blockSize: 4 });
    expect([...first.blocks]).toEqual([0, 1]);
    expect([...first.data]).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    expect(f.dirtyBlockCount()).toBe(0);
    f.truncate(3);
    f.write(Uint8Array.of(9), 20);
    const second = f.takeBlocks();
    expect(second).toMatchObject({ bytes: 21, minBytes: 3 });
    expect([...second.blocks]).toEqual([5]);
    f.restoreBlocks(second);
    expect(f.takeBlocks()).toMatchObject({ minBytes: 3, blocks: Uint32Array.of(5) });
  });

  it('fromImage and fromChunks hold the same bytes, every chunk dirty', () => {
    const image = Uint8Array.from({ length: 70 }, (_, i) => i);
    const a = PageFile.fromImage(image, 16);
    const b = PageFile.fromChunks([0, 1, 2, 3, 4].map((i) => image.slice(i * 16, i * 16 + 16)), 70, 16);
    for (const f of [a, b]) {
      expect(sameImage(f.image(), image)).toBe(true);
      expect(f.dirtyChunks()).toEqual([0, 1, 2, 3, 4]);
    }
    expect(() => PageFile.fromChunks([image], 70, 16)).toThrow(/chunk count/);
  });
});

describe('sqlite-wasm driver: dirty chunks', () => {
  it('one small write dirties a few chunks; saving just those keeps the stored image exact', async () => {
    const d = await createSqliteWasmDriver();
    d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)');
    d.transaction(() => {
      const insert = d.prepare('INSERT INTO t (b) VALUES (:b)');
      for (let i = 0; i < 600; i++) insert.run({ b: new Uint8Array(3000).fill(i & 255) });
    });
    const store = new Store();
    store.save(driverSource(d));
    expect(d.imageBytes).toBeGreaterThan(2_000_000);
    d.prepare('UPDATE t SET b = :b WHERE id = :id').run({ b: new Uint8Array(10).fill(7), id: 300 });
    const dirty = store.save(driverSource(d));
    expect(dirty.length).toBeGreaterThan(0);
    expect(dirty.length).toBeLessThanOrEqual(3);
    expect(sameImage(store.image()!, d.exportImage())).toBe(true);

    d.exec('DELETE FROM t WHERE id > 100; VACUUM');
    store.save(driverSource(d));
    expect(d.imageBytes).toBeLessThan(1_000_000);
    expect(sameImage(store.image()!, d.exportImage())).toBe(true);

    const reopened = await createSqliteWasmDriver({ chunks: { chunks: store.chunks, bytes: store.bytes } });
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 100 });
    expect(reopened.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    reopened.close();
    d.close();
  });

  it('refuses to hand out chunks inside a transaction', async () => {
    const d = await createSqliteWasmDriver();
    d.exec('CREATE TABLE t (k TEXT)');
    d.transaction(() => {
      expect(() => d.takeDirty()).toThrow(/inside a transaction/);
      expect(() => d.readChunk(0)).toThrow(/inside a transaction/);
    });
    d.close();
  });
});
