/**
 * The answer to an action, shown beside the control that ran it: on success
 * a line in words (with the result's kind as `data-kind`), on failure the
 * error box of the same scope. Running an action again first removes the
 * previous line, so a refused action never sits under an old success.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DevtoolsStore } from '../store.js';

export interface ResultLine {
  text: string;
  kind: string;
}

export class ActionResults {
  private readonly lines = new Map<string, ResultLine>();

  constructor(private readonly host: { store: DevtoolsStore; requestUpdate(): void }) {}

  /** Run `fn` through the store under `scope`; `describe` words its result. */
  async run<T>(scope: string, action: string, fn: () => Promise<T>, describe: (result: T) => ResultLine): Promise<T | undefined> {
    this.lines.delete(scope);
    this.host.requestUpdate();
    const result = await this.host.store.act(scope, action, fn);
    if (result !== undefined) this.lines.set(scope, describe(result));
    this.host.requestUpdate();
    return result;
  }

  /** Forget every line and error (another execution was opened). */
  clear(scopes: readonly string[]): void {
    this.lines.clear();
    for (const scope of scopes) this.host.store.clearError(scope);
  }

  has(scope: string): boolean {
    return this.lines.has(scope);
  }

  /** The line of `scope`: inline beside a control, or as a block under a form. */
  line(scope: string, testid: string, look: 'inline-result' | 'result' = 'inline-result'): TemplateResult | typeof nothing {
    const line = this.lines.get(scope);
    if (!line) return nothing;
    return html`<output class="${look} tone-ok" data-testid=${testid} data-kind=${line.kind} aria-live="polite">${line.text}</output>`;
  }
}
