/**
 * A suspension's received signals, stored as JSON on ff_suspension_current:
 * `{ "<waitpoint key>": [signal, …] }`, each list in delivery order. Text
 * payloads are stored as text, byte payloads as lowercase hex, so a payload
 * comes back as the type it was sent as.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Payload } from '../../api/common.js';
import { errors } from '../../api/errors.js';
import type { ResumeCondition, ResumeSignal } from '../../api/suspension.js';

export interface StoredSignal {
  signalId: string;
  signalName: string;
  signalCategory: string;
  sourceType: string;
  sourceIdentity: string;
  correlationId: string | null;
  acceptedAtMs: number;
  payloadText?: string;
  payloadHex?: string;
}

export type MemberMap = Record<string, StoredSignal[]>;

export function parseMemberMap(text: string, executionId: string): MemberMap {
  try {
    const map = JSON.parse(text) as unknown;
    if (map !== null && typeof map === 'object' && !Array.isArray(map) && Object.values(map).every(Array.isArray)) return map as MemberMap;
  } catch {
    // reported below
  }
  throw errors.corruption(`the suspension of ${executionId} has an unreadable member map`, { executionId });
}

export function parseCondition(text: string, executionId: string): ResumeCondition {
  try {
    const condition = JSON.parse(text) as ResumeCondition;
    if (condition !== null && typeof condition === 'object' && typeof condition.kind === 'string') return condition;
  } catch {
    // reported below
  }
  throw errors.corruption(`the suspension of ${executionId} has an unreadable resume condition`, { executionId });
}

export function storedPayload(payload: Payload | undefined): Pick<StoredSignal, 'payloadText' | 'payloadHex'> {
  if (payload === undefined) return {};
  return typeof payload === 'string' ? { payloadText: payload } : { payloadHex: bytesToHex(payload) };
}

export function toResumeSignal(key: string, s: StoredSignal): ResumeSignal {
  return {
    signalId: s.signalId,
    signalName: s.signalName,
    signalCategory: s.signalCategory,
    sourceType: s.sourceType,
    sourceIdentity: s.sourceIdentity,
    correlationId: s.correlationId,
    waitpointKey: key,
    acceptedAtMs: s.acceptedAtMs,
    payload: s.payloadText ?? (s.payloadHex !== undefined ? hexToBytes(s.payloadHex) : null),
  };
}
