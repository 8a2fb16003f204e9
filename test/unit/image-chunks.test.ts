import { describe, expect, it } from 'vitest';
import { changedChunks, chunkCount, chunkOf, joinChunks } from '../../src/persistence/image-chunks.js';

describe('image chunks (incremental saves)', () => {
  const size = 16;
  const image = (bytes: number, fill = 0): Uint8Array => new Uint8Array(bytes).fill(fill);

  it('everything is new without a previous image', () => {
    expect(changedChunks(null, image(40), size)).toEqual([0, 1, 2]);
    expect(chunkCount(40, size)).toBe(3);
  });

  it('only the chunks whose bytes differ are rewritten', () => {
    const prev = image(64);
    const next = prev.slice();
    next[0] = 1;
    next[35] = 9;
    expect(changedChunks(prev, next, size)).toEqual([0, 2]);
    expect(changedChunks(prev, prev.slice(), size)).toEqual([]);
  });

  it('a grown image rewrites its new tail, including a partial last chunk', () => {
    const prev = image(40);
    const next = image(72);
    expect(changedChunks(prev, next, size)).toEqual([2, 3, 4]);
  });

  it('compares unaligned views byte by byte', () => {
    const backing = new Uint8Array(65);
    const prev = backing.subarray(1);
    const next = prev.slice();
    next[17] = 3;
    expect(changedChunks(prev, next, size)).toEqual([1]);
  });

  it('chunks join back into the image; a missing chunk is refused', () => {
    const original = Uint8Array.from({ length: 50 }, (_, i) => i);
    const chunks = Array.from({ length: chunkCount(50, size) }, (_, i) => chunkOf(original, i, size));
    expect(chunks.map((c) => c.byteLength)).toEqual([16, 16, 16, 2]);
    expect(joinChunks(chunks, 50)).toEqual(original);
    expect(joinChunks(chunks.slice(0, 3), 50)).toBeNull();
    expect(joinChunks(chunks, 40)).toBeNull();
  });
});
