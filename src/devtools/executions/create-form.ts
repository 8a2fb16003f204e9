/**
 * The create form of the board: lane, priority, required capabilities,
 * retry policy, start delay and payload, with "create N" buttons. A failed
 * create shows its error under the form; a start further away than ten
 * years is refused here, since no one means it and the engine would wait.
 */
import { html } from 'lit';
import type { CreateExecutionInput } from '../../api/executions.js';
import { EngineError } from '../../api/errors.js';
import { DtElement } from '../base.js';
import { splitList } from '../ui/form-parts.js';
import { defineElement } from '../define.js';

/** The furthest start the form accepts: ten years, in seconds. */
export const MAX_START_AFTER_S = 10 * 365 * 86_400;
const SCOPE = 'exec-create';

export class DtExecCreate extends DtElement {
  override render(): unknown {
    return html`<form class="card form exec-form" data-testid="exec-form" @submit=${(ev: Event) => void this.create(ev, 1)}>
      <div class="row">
        <label class="field"><span class="field-label">Lane</span><input data-testid="exec-lane" class="mono" value="default" required autocomplete="off" /></label>
        <label class="field"><span class="field-label">Priority</span><input data-testid="exec-priority" type="number" step="1" value="0" /><span class="field-hint">higher first</span></label>
        <label class="field"
          ><span class="field-label">Required capabilities</span><input data-testid="exec-capabilities" class="mono" placeholder="e.g. gpu, eu" autocomplete="off" /><span
            class="field-hint"
            >comma list</span
          ></label
        >
        <label class="field"><span class="field-label">Max retries</span><input data-testid="exec-retries" type="number" min="0" step="1" value="2" /></label>
        <label class="field"
          ><span class="field-label">Backoff</span
          ><select data-testid="exec-backoff-type">
            <option value="fixed">fixed</option>
            <option value="exponential">exponential ×2</option>
          </select></label
        >
        <label class="field"><span class="field-label">Backoff delay (ms)</span><input data-testid="exec-backoff-ms" type="number" min="0" step="any" value="1000" /></label>
        <label class="field"
          ><span class="field-label">Start after (s)</span><input data-testid="exec-start-after" type="number" min="0" step="1" placeholder="now" /><span class="field-hint"
            >at most 10 years</span
          ></label
        >
        <label class="field"><span class="field-label">Payload</span><input data-testid="exec-payload" placeholder="optional text" autocomplete="off" /></label>
      </div>
      <div class="row actions">
        <button type="submit" class="primary" data-testid="exec-create">Create execution</button>
        ${[5, 25].map((n) => html`<button type="button" data-testid="exec-create-${n}" @click=${(ev: Event) => void this.create(ev, n)}>Create ${n}</button>`)}
      </div>
      ${this.errorBox(SCOPE)}
    </form>`;
  }

  private value(testid: string): string {
    return this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="${testid}"]`)?.value ?? '';
  }

  /** The form as an engine input; the start delay is checked here (see MAX_START_AFTER_S). */
  private input(): CreateExecutionInput {
    const delay = Number(this.value('exec-backoff-ms') || 0);
    const backoff =
      this.value('exec-backoff-type') === 'exponential'
        ? { type: 'exponential' as const, initialDelayMs: delay, multiplier: 2, maxDelayMs: Math.max(delay, 60_000) }
        : { type: 'fixed' as const, delayMs: delay };
    const capabilities = splitList(this.value('exec-capabilities'));
    const startText = this.value('exec-start-after').trim();
    const startAfter = startText === '' ? 0 : Number(startText);
    if (!Number.isFinite(startAfter) || startAfter < 0 || startAfter > MAX_START_AFTER_S) {
      throw new EngineError('validation.invalid_input', `Start after must be between 0 and ${MAX_START_AFTER_S.toLocaleString('en-US')} s (10 years); got ${startText}`, {
        field: 'startAfter',
      });
    }
    const payload = this.value('exec-payload');
    return {
      laneId: this.value('exec-lane').trim(),
      // An empty box goes to the engine as NaN: its validation error is the answer.
      priority: Number(this.value('exec-priority') || 0),
      ...(capabilities.length ? { requiredCapabilities: capabilities } : {}),
      retryPolicy: { maxRetries: Number(this.value('exec-retries') || 0), backoff },
      ...(startAfter > 0 ? { delayUntil: this.store.now + Math.round(startAfter * 1000) } : {}),
      ...(payload ? { payload } : {}),
    };
  }

  private async create(ev: Event, count: number): Promise<void> {
    ev.preventDefault();
    let laneId = '';
    const result = await this.store.act(SCOPE, `Creating ${count === 1 ? 'an execution' : `${count} executions`}`, async () => {
      const input = this.input();
      laneId = input.laneId;
      return this.store.backend.createExecutions({ executions: Array.from({ length: count }, () => ({ ...input })) });
    });
    if (result) this.store.toast(`Created ${count} on lane '${laneId}'`, 'ok');
  }
}
defineElement('ff-dt-exec-create', DtExecCreate);
