/**
 * What the in-page worker does with one job, as its form says: work in
 * steps (a stream frame and a summary patch per step, when frames are on),
 * then complete or fail as chosen, or suspend waiting for an approval. A
 * job resumed after its approval reads the signals that woke it, writes
 * them to its stream and completes.
 */
import { PermanentError, type JobContext, type TimeoutBehavior } from '../../src/index.js';

export type Outcome = 'complete' | 'fail-first' | 'fail' | 'fail-permanent';

export interface JobPlan {
  /** Real time the job works for, split across its steps. */
  workMs: number;
  outcome: Outcome;
  /** Append a progress frame and a summary patch per step. */
  frames: boolean;
  /** Suspend after working, waiting for an approval, instead of the outcome. */
  approval: { timeoutMs: number; behavior: TimeoutBehavior } | null;
}

const STEPS = 3;

/** `now` reads the engine clock, which the suspension's timeout is set on. */
export async function runJob(job: JobContext, plan: JobPlan, now: () => Promise<number>): Promise<unknown> {
  if (job.handle.kind === 'resumed') return resumed(job, plan);
  for (let step = 1; step <= STEPS; step++) {
    await sleep(plan.workMs / STEPS, job.signal);
    if (!plan.frames) continue;
    await job.appendFrame({ payload: `step ${step}/${STEPS} of attempt ${job.attemptIndex + 1}`, kind: 'stdout' });
    await job.appendFrame({ payload: JSON.stringify({ stage: step < STEPS ? 'working' : 'worked', steps_done: step, steps: STEPS }), mode: 'summary' });
  }
  if (plan.approval) {
    if (plan.frames) await job.appendFrame({ payload: 'waiting for an approval', kind: 'event', frameType: 'suspend' });
    await job.suspend({
      waitpoints: [{ kind: 'fresh', waitpointKey: 'approval' }],
      resumeCondition: { kind: 'approval', waitpointKey: 'approval' },
      timeout: { atMs: (await now()) + plan.approval.timeoutMs, behavior: plan.approval.behavior },
    });
    // Suspended: the runtime neither completes nor fails it; a claim after the approval runs this again.
    return undefined;
  }
  const outcome = plan.outcome;
  if (outcome === 'fail-permanent') throw new PermanentError('told to fail permanently (playground)');
  if (outcome === 'fail' || (outcome === 'fail-first' && job.attemptIndex === 0)) throw new Error(`attempt ${job.attemptIndex + 1} told to fail (playground)`);
  return { ok: true, attempt: job.attemptIndex + 1 };
}

async function resumed(job: JobContext, plan: JobPlan): Promise<unknown> {
  const signals = await job.observeSignals();
  const names = signals.map((s) => s.signalName);
  if (plan.frames) {
    await job.appendFrame({ payload: `resumed by ${names.join(', ') || 'the operator'}`, kind: 'event', frameType: 'resumed' });
    await job.appendFrame({ payload: JSON.stringify({ stage: 'approved', signals: names }), mode: 'summary' });
  }
  return { ok: true, attempt: job.attemptIndex + 1, resumedBy: names };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
