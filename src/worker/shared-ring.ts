/**
 * A byte ring in shared memory, from one writer thread (the page) to one
 * reader thread (the worker), with no lock: the writer alone moves `tail`,
 * the reader alone moves `head`, each with an atomic store after its bytes
 * are written or copied out. No lock matters because either side can die
 * at any point (a worker terminated, a tab closed), and a lock held by a dead
 * thread would freeze the other one.
 *
 * Each entry is a 4-byte length, a 4-byte id and the bytes, padded to 4.
 * An entry never wraps: when it does not fit before the end, the writer
 * leaves a wrap mark (length -1) and starts again at 0. The writer keeps at
 * least 4 bytes free, so `head === tail` means empty and never full.
 *
 * The state word says whether the reader will look at the ring again without
 * being told (BUSY) or waits for a wake-up message (IDLE). The writer
 * publishes an entry and then reads the state; the reader sets IDLE and then
 * reads the tail. Atomics are sequentially consistent, so at least one of the
 * two sees the other's store: an entry is never left unread, though a
 * wake-up may arrive for an entry already read (the reader then finds nothing).
 */

const STATE = 0;
const HEAD = 1;
const TAIL = 2;
/** Bytes before the data: the three words above, padded to 16. */
const HEADER_BYTES = 16;
const WRAP = -1;
export const RING_IDLE = 0;
export const RING_BUSY = 1;

const pad4 = (n: number): number => (n + 3) & ~3;

/** A new ring's memory: `capacity` bytes of entries (a multiple of 4). */
export function createRingMemory(capacity: number): SharedArrayBuffer {
  if (capacity % 4 !== 0 || capacity < 64) throw new RangeError('ring capacity: a multiple of 4, at least 64');
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

class RingView {
  protected readonly words: Int32Array;
  protected readonly bytes: Uint8Array;
  protected readonly capacity: number;

  constructor(memory: SharedArrayBuffer) {
    this.capacity = memory.byteLength - HEADER_BYTES;
    this.words = new Int32Array(memory);
    this.bytes = new Uint8Array(memory, HEADER_BYTES, this.capacity);
  }

  protected wordAt(offset: number): number {
    return (HEADER_BYTES + offset) >> 2;
  }
}

/** The writer's side (the page). */
export class RingWriter extends RingView {
  /** Whether the reader is at work, and will look at the ring again without a wake-up. */
  get readerBusy(): boolean {
    return Atomics.load(this.words, STATE) === RING_BUSY;
  }

  /**
   * Append an entry. Returns false when it does not fit now (the reader is
   * behind, or the entry is larger than half the ring): the caller sends it
   * another way. Returns 'wake' when the reader waits for a wake-up message.
   */
  write(id: number, payload: Uint8Array): false | 'wake' | 'queued' {
    const need = 8 + pad4(payload.length);
    if (need > this.capacity / 2) return false;
    const head = Atomics.load(this.words, HEAD);
    let tail = Atomics.load(this.words, TAIL);
    if (tail >= head) {
      // Room to the end; when the reader is at 0, stop 4 short of it so the ring never looks empty.
      if (need <= this.capacity - tail - (head === 0 ? 4 : 0)) {
        // fits where it is
      } else if (need <= head - 4) {
        this.words[this.wordAt(tail)] = WRAP;
        tail = 0;
      } else return false;
    } else if (need > head - tail - 4) return false;
    this.words[this.wordAt(tail)] = payload.length;
    this.words[this.wordAt(tail) + 1] = id;
    this.bytes.set(payload, tail + 8);
    const next = tail + need;
    Atomics.store(this.words, TAIL, next === this.capacity ? 0 : next);
    return Atomics.load(this.words, STATE) === RING_IDLE ? 'wake' : 'queued';
  }
}

export interface RingEntry {
  id: number;
  /** A copy in ordinary memory (TextDecoder refuses views of shared memory). */
  payload: Uint8Array;
}

/** The reader's side (the worker). */
export class RingReader extends RingView {
  /** Say the reader will look again without a wake-up (it is draining, or has a drain scheduled). */
  busy(): void {
    Atomics.store(this.words, STATE, RING_BUSY);
  }

  /** The next entry's id, or null when the ring is empty: what deciding whether to take it needs, with no copy. */
  nextId(): number | null {
    let head = Atomics.load(this.words, HEAD);
    if (head === Atomics.load(this.words, TAIL)) return null;
    if (this.words[this.wordAt(head)] === WRAP) {
      head = 0;
      Atomics.store(this.words, HEAD, 0);
      if (head === Atomics.load(this.words, TAIL)) return null;
    }
    return this.words[this.wordAt(head) + 1]!;
  }

  /** The next entry without taking it, or null when the ring is empty. */
  peek(): RingEntry | null {
    const id = this.nextId();
    if (id === null) return null;
    const head = Atomics.load(this.words, HEAD);
    return { id, payload: this.bytes.slice(head + 8, head + 8 + this.words[this.wordAt(head)]!) };
  }

  /** Drop the entry peek() returned. */
  take(): void {
    const head = Atomics.load(this.words, HEAD);
    const next = head + 8 + pad4(this.words[this.wordAt(head)]!);
    Atomics.store(this.words, HEAD, next === this.capacity ? 0 : next);
  }

  /**
   * Spin for up to `spinMs`, still BUSY (so the writer puts its entries here
   * and sends no wake-up), until an entry comes. Returns whether one came.
   * A caller that sends its next call as soon as the last one returns does so
   * within tens of microseconds; waking a thread that went to sleep costs
   * about as much as a whole message, spinning nothing.
   */
  awaitEntry(spinMs: number): boolean {
    const start = performance.now();
    const tail = Atomics.load(this.words, TAIL);
    if (Atomics.load(this.words, HEAD) !== tail) return true;
    while (performance.now() - start < spinMs) if (Atomics.load(this.words, TAIL) !== tail) return true;
    return false;
  }

  /**
   * Mark the reader IDLE, unless an entry arrived meanwhile: then it stays
   * BUSY and this returns false, and the caller reads on.
   */
  idleIfEmpty(): boolean {
    Atomics.store(this.words, STATE, RING_IDLE);
    if (Atomics.load(this.words, HEAD) !== Atomics.load(this.words, TAIL)) {
      Atomics.store(this.words, STATE, RING_BUSY);
      return false;
    }
    return true;
  }
}
