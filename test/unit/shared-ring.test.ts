/**
 * The byte ring in shared memory (src/worker/shared-ring.ts): entries come
 * out in order and intact across wrap-arounds, a full ring refuses instead
 * of overwriting, the idle/busy word tells the writer when to wake the
 * reader, and a reader spinning on an empty ring stays busy and sees an
 * entry another thread writes.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createRingMemory, RingReader, RingWriter } from '../../src/worker/shared-ring.js';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i) & 0xff);

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
}

describe('shared ring', () => {
  it('hands over entries in order and intact, across many wrap-arounds', () => {
    const memory = createRingMemory(256);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    const next = random(7);
    const written: { id: number; payload: Uint8Array }[] = [];
    let read = 0;
    let id = 0;
    for (let step = 0; step < 5_000; step++) {
      if (next() < 0.55) {
        const payload = bytes(Math.floor(next() * 90), id);
        if (writer.write(id, payload)) written.push({ id: id++, payload });
      } else {
        const entry = reader.peek();
        if (!entry) continue;
        reader.take();
        expect(entry).toEqual(written[read]);
        read++;
      }
    }
    for (let entry = reader.peek(); entry; entry = reader.peek()) {
      reader.take();
      expect(entry).toEqual(written[read++]);
    }
    expect(read).toBe(written.length);
    // Enough traffic to wrap the 256-byte ring many times over.
    expect(written.reduce((sum, w) => sum + w.payload.length + 8, 0)).toBeGreaterThan(256 * 50);
  });

  it('refuses an entry that does not fit rather than overwrite one not yet read; refuses one over half the ring', () => {
    const memory = createRingMemory(128);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    expect(writer.write(1, bytes(65, 1))).toBe(false);
    // Entries of 32 bytes take 40 with their header: three fit, the fourth would reach the unread first one.
    for (const id of [1, 2, 3]) expect(writer.write(id, bytes(32, id))).toBeTruthy();
    expect(writer.write(4, bytes(32, 4))).toBe(false);
    reader.take();
    // 40 bytes free at the start is not enough: the writer keeps 4 bytes between itself and the reader.
    expect(writer.write(4, bytes(32, 4))).toBe(false);
    reader.take();
    // Now it goes in, after a wrap to the start.
    expect(writer.write(4, bytes(32, 4))).toBeTruthy();
    expect(reader.peek()).toEqual({ id: 3, payload: bytes(32, 3) });
    reader.take();
    expect(reader.peek()).toEqual({ id: 4, payload: bytes(32, 4) });
    reader.take();
    expect(reader.peek()).toBeNull();
  });

  it('tells the writer to wake an idle reader, and not a busy one; an idle reader with an entry stays busy', () => {
    const memory = createRingMemory(256);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    // A new ring's reader is idle.
    expect(writer.write(1, bytes(4, 1))).toBe('wake');
    reader.busy();
    expect(writer.write(2, bytes(4, 2))).toBe('queued');
    // Two entries wait: the reader cannot go idle.
    expect(reader.idleIfEmpty()).toBe(false);
    expect(writer.write(3, bytes(4, 3))).toBe('queued');
    for (let entry = reader.peek(); entry; entry = reader.peek()) reader.take();
    expect(reader.idleIfEmpty()).toBe(true);
    expect(writer.write(4, bytes(4, 4))).toBe('wake');
  });

  it('a spinning reader stays busy: it sees an entry at once, or reports none came and the writer still queues without waking', () => {
    const memory = createRingMemory(256);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    reader.busy();
    expect(writer.write(1, bytes(3, 1))).toBe('queued');
    expect(reader.awaitEntry(0)).toBe(true);
    reader.peek();
    reader.take();
    // Nothing writes on this thread while it spins, whatever the spin's length.
    expect(reader.awaitEntry(1)).toBe(false);
    expect(writer.readerBusy).toBe(true);
    expect(writer.write(2, bytes(3, 2))).toBe('queued');
    expect(reader.idleIfEmpty()).toBe(false);
    expect(reader.peek()?.id).toBe(2);
  });

  it('a reader spinning on one thread sees the entry another thread writes, with no message', async () => {
    const memory = createRingMemory(256);
    const reader = new RingReader(memory);
    reader.busy();
    // The writer thread writes once told to; by then this thread is spinning, for as long as a test may last.
    const writerThread = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const words = new Int32Array(workerData);
       parentPort.once('message', () => {
         // An entry as RingWriter lays it out: length, id, bytes; then the tail, with an atomic store.
         words[4] = 2; words[5] = 42; new Uint8Array(workerData, 24, 2).set([7, 9]);
         Atomics.store(words, 2, 12);
       });`,
      { eval: true, workerData: memory },
    );
    await new Promise((resolve) => writerThread.once('online', resolve));
    writerThread.postMessage('write');
    try {
      expect(reader.awaitEntry(60_000)).toBe(true);
      expect(reader.peek()).toEqual({ id: 42, payload: Uint8Array.from([7, 9]) });
    } finally {
      await writerThread.terminate();
    }
  });

  it('wants a capacity that is a multiple of 4 and not tiny', () => {
    expect(() => createRingMemory(130)).toThrow(RangeError);
    expect(() => createRingMemory(32)).toThrow(RangeError);
  });
});
