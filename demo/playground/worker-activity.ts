/** The in-page worker's activity log: one line per runtime event, newest first. */
import type { WorkerRuntimeEvent } from '../../src/index.js';
import { formatDuration, shortId } from '../../src/devtools/format.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export interface ActivityLine {
  id: number;
  text: string;
  tone: Tone;
}

/** Lines kept; older ones drop off the end. */
const ACTIVITY_KEPT = 14;

export class ActivityLog {
  lines: ActivityLine[] = [];
  private nextId = 1;

  note(text: string, tone: Tone): void {
    this.lines = [{ id: this.nextId++, text, tone }, ...this.lines].slice(0, ACTIVITY_KEPT);
  }

  /** `now` is the engine clock, which retry times are on. */
  event(e: WorkerRuntimeEvent, now: number): void {
    const id = e.type === 'error' ? '' : `${shortId(e.executionId)} #${e.attemptIndex + 1} `;
    switch (e.type) {
      case 'claimed':
        return this.note(`${id}claimed`, 'info');
      case 'completed':
        return this.note(`${id}completed`, 'ok');
      case 'retry_scheduled':
        return this.note(`${id}failed: retry ${e.retryCount} due in ${formatDuration(e.delayUntil - now)}`, 'warn');
      case 'failed':
        return this.note(`${id}failed for good (${e.failureClass}): ${e.reason}`, 'bad');
      case 'delayed':
        return this.note(`${id}handed back`, 'info');
      case 'suspended':
        return this.note(`${id}suspended: waiting for an approval`, 'warn');
      case 'lease_lost':
        return this.note(`${id}lease lost (${e.code}): result dropped`, 'bad');
      case 'error':
        return this.note(`${e.op} error${e.code ? ` (${e.code})` : ''}: ${e.message}`, 'bad');
    }
  }
}
