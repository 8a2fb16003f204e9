/** The suspension in words: the resume condition, a waitpoint, a received signal, a delivery's effect. */
import type { SignalDeliveryEvent } from '../../api/events.js';
import type { PendingWaitpointInfo, ResumeCondition } from '../../api/suspension.js';
import { formatUntil } from '../format.js';

export const EFFECT_TEXT: Record<string, string> = {
  appended_to_waitpoint: 'appended: recorded, the condition is not met yet',
  resume_condition_satisfied: 'resumed: the condition is met, the execution is resumable',
  timeout_resumed: 'resumed by its timeout',
};

export function conditionText(c: ResumeCondition): string {
  switch (c.kind) {
    case 'approval':
      return `an approval: a signal named 'approved'${c.waitpointKey ? ` on waitpoint '${c.waitpointKey}'` : ''} (a 'rejected' one is recorded and does not resume)`;
    case 'signals': {
      const names = c.signals.map((s) => `'${s.name}'${s.waitpointKey ? ` on '${s.waitpointKey}'` : ''}`).join(', ');
      return c.mode === 'all_of' ? `all of: ${names}` : `any one of: ${names}`;
    }
    case 'operator_only':
      return 'no signal: only an operator resume (or a resume timeout)';
  }
}

/** The token is shown redacted: the kid and a fingerprint, never the digest. */
export function waitpointText(w: PendingWaitpointInfo, now: number): string {
  const expiry = w.expiresAtMs === null ? 'never expires' : `expires ${formatUntil(w.expiresAtMs, now)}`;
  const wants = w.requiredSignalNames.length ? ` · wants ${w.requiredSignalNames.join(', ')}` : '';
  return `${w.waitpointKey} · ${w.state} · token ${w.tokenKid}:${w.tokenFingerprint}… · ${expiry}${wants}`;
}

export function signalText(e: SignalDeliveryEvent): string {
  const from = e.sourceIdentity ? ` from ${e.sourceIdentity}` : '';
  return `${e.signalName ?? 'timeout'}${from} · ${e.effect.replaceAll('_', ' ')}`;
}
