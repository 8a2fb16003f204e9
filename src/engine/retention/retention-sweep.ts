/**
 * One retention_trimmer tick's work, inside its transaction: terminal
 * executions' history, then budget events, then worker registry events,
 * each kind with its own row budget so a backlog of one never starves the
 * others. The highest event id deleted from each readable outbox raises its
 * floor (outbox-floor.ts), which is how readEvents knows a cursor expired.
 */
import type { OutboxChannel } from '../../api/events.js';
import type { EngineContext } from '../core/context.js';
import { raiseFloor } from '../outbox/outbox-floor.js';
import type { Retention } from './retention-options.js';
import { nextExecutionTrimAt, trimExecutions, type ExecutionTrimCounts, type TrimBudget } from './trim-executions.js';
import { nextBudgetEventTrimAt, nextWorkerEventTrimAt, trimBudgetEvents, trimWorkerEvents } from './trim-outboxes.js';

export interface RetentionTrimCounts extends ExecutionTrimCounts {
  budgetEvents: number;
  workerEvents: number;
  /** Rows deleted in all (folded attempts included). */
  rows: number;
}

export function trimRetention(ctx: EngineContext, now: number, retention: Retention, rowsPerKind: number): RetentionTrimCounts {
  const trimmedThrough: TrimBudget['trimmedThrough'] = {};
  const budgets = [0, 1, 2].map((): TrimBudget => ({ remaining: rowsPerKind, trimmedThrough }));
  const executions = trimExecutions(ctx, now, retention, budgets[0]!);
  const budgetEvents = trimBudgetEvents(ctx, now, retention, budgets[1]!);
  const workerEvents = trimWorkerEvents(ctx, now, retention, budgets[2]!);
  for (const [channel, eventId] of Object.entries(trimmedThrough) as [OutboxChannel, number][]) raiseFloor(ctx, channel, eventId, now);
  const rows = budgets.reduce((sum, b) => sum + (rowsPerKind - b.remaining), 0);
  return { ...executions, budgetEvents, workerEvents, rows };
}

/** The earliest time a tick would delete something (or mark an execution trimmed); null when nothing is waiting. */
export function nextRetentionAt(ctx: EngineContext, retention: Retention): number | null {
  let next: number | null = null;
  for (const at of [nextExecutionTrimAt(ctx, retention), nextBudgetEventTrimAt(ctx, retention), nextWorkerEventTrimAt(ctx, retention)]) {
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}
