/**
 * The `signal` channel: every delivery (and a `resume` timeout's signal) is
 * an ff_signal_event row, readable after a cursor in-process and delivered
 * to subscribers of the browser client, where a cursor resumes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { channelBackend, LANE, until, WORKER_ARGS } from './boundary-helpers.js';
import { KID, SECRET, signal, suspendedExecution } from './suspension-helpers.js';

describe('readEvents on the signal channel', () => {
  it('one event per delivery with its effect, resumable after a cursor', async () => {
    const t = await suspendedExecution(['a', 'b'], { kind: 'signals', mode: 'all_of', signals: [{ name: 'x' }, { name: 'y' }] });
    const x = signal(t, 'a', 'x');
    const first = t.engine.readEvents({ channel: 'signal' });
    expect(first.events).toEqual([
      {
        channel: 'signal',
        eventId: 1,
        executionId: t.executionId,
        signalId: x.signalId,
        waitpointId: t.suspended.waitpoints[0]!.waitpointId,
        signalName: 'x',
        sourceIdentity: '',
        effect: 'appended_to_waitpoint',
        namespace: 'default',
        instanceTag: null,
        occurredAtMs: t.clock.now(),
      },
    ]);
    signal(t, 'b', 'y');
    const next = t.engine.readEvents({ channel: 'signal', afterEventId: first.lastEventId });
    expect(next.events.map((e) => e.channel === 'signal' && e.effect)).toEqual(['resume_condition_satisfied']);
    expect(next.lastEventId).toBe(2);
  });
});

const open: BrowserBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
});

describe('the signal channel through the browser client', () => {
  it('delivers signal events with cursors; a subscription resumes after its cursor', async () => {
    const { client: backend } = await channelBackend();
    open.push(backend);
    await backend.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET });
    const seen: BackendEvent[] = [];
    const sub = await backend.subscribe({ channels: ['signal'] }, (e) => seen.push(e));
    const { executionId } = (await backend.createExecution({ laneId: LANE })) as { executionId: string };
    const handle = (await backend.claim(WORKER_ARGS))!;
    const suspended = await backend.suspend({
      handle,
      waitpoints: [{ kind: 'fresh', waitpointKey: 'a' }],
      resumeCondition: { kind: 'signals', mode: 'all_of', signals: [{ name: 'x' }, { name: 'y' }] },
    });
    const wp = suspended.waitpoints[0]!;
    const deliver = (signalName: string) => backend.deliverSignal({ executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName });
    await deliver('x');
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ channel: 'signal', executionId, signalName: 'x', effect: 'appended_to_waitpoint', cursor: 'signal:1' });
    await sub.unsubscribe();

    await deliver('y');
    const resumed: BackendEvent[] = [];
    await backend.subscribe({ channels: ['signal'], from: [seen[0]!.cursor] }, (e) => resumed.push(e));
    await until(() => resumed.length === 1);
    expect(resumed[0]).toMatchObject({ signalName: 'y', effect: 'resume_condition_satisfied', cursor: 'signal:2' });
    const again = await backend.claimResumedExecution({ executionId, workerId: 'w1', workerInstanceId: 'w1-i1', leaseTtlMs: 30_000 });
    expect((await backend.observeSignals({ handle: again })).map((s) => s.signalName)).toEqual(['x', 'y']);
  });
});
