/**
 * The client's batching around waiting calls: a `wait` operation
 * (tailStream) travels in a message of its own, in issue order, so the
 * reply to the calls beside it never waits for it.
 */
import { describe, expect, it } from 'vitest';
import { CallBatcher } from '../../src/client/call-batcher.js';
import type { BatchCall, BatchOutcome } from '../../src/worker/protocol.js';
import { WAITING_ENGINE_METHODS } from '../../src/worker/remote-methods.js';

describe('CallBatcher and waiting calls', () => {
  it('tailStream is the only waiting method of the table', () => {
    expect([...WAITING_ENGINE_METHODS]).toEqual(['tailStream']);
  });

  it('sends a waiting call alone, between the batches of the calls around it, and answers the others first', async () => {
    const sent: string[][] = [];
    let releaseTail!: () => void;
    const send = (calls: BatchCall[]): Promise<BatchOutcome> => {
      sent.push(calls.map(([method]) => method));
      const results: BatchOutcome = { values: calls.map(([method]) => method) };
      if (calls[0]![0] !== 'tailStream') return Promise.resolve(results);
      return new Promise((resolve) => (releaseTail = () => resolve(results)));
    };
    const batcher = new CallBatcher(send, WAITING_ENGINE_METHODS);
    const answered: string[] = [];
    const calls = ['now', 'listLanes', 'tailStream', 'appendFrame', 'now'].map((m) => batcher.call(m, [{}]).then((v) => answered.push(v as string)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([['now', 'listLanes'], ['tailStream'], ['appendFrame', 'now']]);
    expect(answered).toEqual(['now', 'listLanes', 'appendFrame', 'now']);
    releaseTail();
    await Promise.all(calls);
    expect(answered.at(-1)).toBe('tailStream');
  });
});
