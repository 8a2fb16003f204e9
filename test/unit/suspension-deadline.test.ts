/**
 * An execution's deadline holds while it is suspended: at deadlineAtMs the
 * execution_deadline scanner ends it `expired` and deletes its suspension
 * and waitpoints with it, so a token handed out earlier resumes nothing.
 */
import { describe, expect, it } from 'vitest';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';
import { KID, SECRET } from './suspension-helpers.js';

const T = 1_700_000_090_000;

describe('a deadline reached while suspended', () => {
  it('expires the execution at exactly its deadline and takes its waitpoints with it', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET });
    const { executionId } = engine.createExecution({ laneId: 'l', deadlineAtMs: T });
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    const { waitpoints } = engine.suspend({ handle, waitpoints: [{ kind: 'fresh', waitpointKey: 'a' }], resumeCondition: { kind: 'approval' } });

    clock.advanceTo(T - 1);
    expect(engine.readExecutionState({ executionId })).toBe('suspended');
    expect(engine.listPendingWaitpoints({ executionId }).entries).toHaveLength(1);

    clock.advanceTo(T);
    expect(engine.readExecutionState({ executionId })).toBe('expired');
    expect(rows(engine, 'SELECT (SELECT COUNT(*) FROM ff_suspension_current) AS s, (SELECT COUNT(*) FROM ff_waitpoint_pending) AS w')).toEqual([{ s: 0, w: 0 }]);
    expect(engine.listPendingWaitpoints({ executionId }).entries).toEqual([]);
    const before = engine.exportImage();
    const refused = catchError(() =>
      engine.deliverSignal({ executionId, waitpointId: waitpoints[0]!.waitpointId, waitpointToken: waitpoints[0]!.token, signalName: 'approved' }),
    );
    expect(refused.code).toBe('not_found');
    expect(engine.exportImage()).toEqual(before);
  });
});
