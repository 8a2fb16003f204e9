/**
 * The executions panel: a form to create executions (lane, priority,
 * required capabilities, retry policy, start delay, payload), quick "create
 * N" buttons, and the board below it.
 */
import type { CreateExecutionInput } from '../../src/index.js';
import type { App, Panel, View } from './app.js';
import { Board } from './board.js';
import { field, h, panel, splitList } from './dom.js';

export class ExecutionsPanel implements Panel {
  readonly el: HTMLElement;
  private readonly board: Board;
  private readonly lane = h('input', { value: 'default', required: true, testid: 'exec-lane', class: 'mono', autocomplete: 'off' });
  private readonly priority = h('input', { type: 'number', step: '1', value: '0', testid: 'exec-priority' });
  private readonly capabilities = h('input', { placeholder: 'e.g. gpu, eu', testid: 'exec-capabilities', class: 'mono', autocomplete: 'off' });
  private readonly retries = h('input', { type: 'number', min: '0', step: '1', value: '2', testid: 'exec-retries' });
  private readonly backoffType = h('select', { testid: 'exec-backoff-type' }, h('option', { value: 'fixed' }, 'fixed'), h('option', { value: 'exponential' }, 'exponential ×2'));
  private readonly backoffMs = h('input', { type: 'number', min: '0', step: 'any', value: '1000', testid: 'exec-backoff-ms' });
  private readonly startAfter = h('input', { type: 'number', min: '0', step: '1', placeholder: 'now', testid: 'exec-start-after' });
  private readonly payload = h('input', { placeholder: 'optional text', testid: 'exec-payload', autocomplete: 'off' });

  constructor(private readonly app: App) {
    this.board = new Board(app);
    const form = h(
      'form',
      { class: 'card form exec-form', testid: 'exec-form', onSubmit: (ev: Event) => void this.create(ev, 1) },
      h(
        'div',
        { class: 'row' },
        field('Lane', this.lane),
        field('Priority', this.priority, 'higher first'),
        field('Required capabilities', this.capabilities, 'comma list'),
        field('Max retries', this.retries),
        field('Backoff', this.backoffType),
        field('Backoff delay (ms)', this.backoffMs),
        field('Start after (s)', this.startAfter),
        field('Payload', this.payload),
      ),
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'submit', class: 'primary', testid: 'exec-create' }, 'Create execution'),
        [5, 25].map((n) => h('button', { type: 'button', testid: `exec-create-${n}`, onClick: (ev: Event) => void this.create(ev, n) }, `Create ${n}`)),
      ),
    );
    this.el = panel(
      'executions',
      'Executions',
      'Create work on a lane; the in-page worker below claims it under a lease. Failures retry with backoff on the engine clock. Click a card for its attempts.',
      form,
      this.board.el,
    );
  }

  refresh(view: View): Promise<void> {
    return this.board.refresh(view);
  }

  clear(): void {
    this.board.clear();
  }

  private input(): CreateExecutionInput {
    const retries = Number(this.retries.value || 0);
    const delay = Number(this.backoffMs.value || 0);
    const backoff =
      this.backoffType.value === 'exponential'
        ? { type: 'exponential' as const, initialDelayMs: delay, multiplier: 2, maxDelayMs: Math.max(delay, 60_000) }
        : { type: 'fixed' as const, delayMs: delay };
    const capabilities = splitList(this.capabilities.value);
    const startAfter = this.startAfter.value.trim() === '' ? 0 : Number(this.startAfter.value);
    const payload = this.payload.value;
    return {
      laneId: this.lane.value.trim(),
      priority: Number(this.priority.value || 0),
      ...(capabilities.length ? { requiredCapabilities: capabilities } : {}),
      retryPolicy: { maxRetries: retries, backoff },
      ...(startAfter > 0 ? { delayUntil: this.app.now + Math.round(startAfter * 1000) } : {}),
      ...(payload ? { payload } : {}),
    };
  }

  private async create(ev: Event, count: number): Promise<void> {
    ev.preventDefault();
    const input = this.input();
    const result = await this.app.act(`Creating ${count === 1 ? 'an execution' : `${count} executions`}`, () =>
      this.app.backend.createExecutions({ executions: Array.from({ length: count }, () => ({ ...input })) }),
    );
    if (result) this.app.notices.toast(`Created ${count} on lane '${input.laneId}'`, 'ok');
  }
}
