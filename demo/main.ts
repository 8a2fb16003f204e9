// A first playground: the engine on the page's own thread, in memory.
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { createEngine, createSqlJsDriver, type Engine } from '../src/index.js';

const WORKER = { workerId: 'playground', workerInstanceId: 'playground-1', leaseTtlMs: 30_000 };
const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;

function render(engine: Engine): void {
  const { executions } = engine.listExecutions({ limit: 200 });
  $('#executions').innerHTML = executions
    .map(
      (e) =>
        `<tr data-id="${e.executionId}"><td><code>${e.executionId.slice(7, 15)}</code></td><td>${e.laneId}</td><td>${e.priority}</td>` +
        `<td><span class="state ${e.publicState}" data-testid="state">${e.publicState}</span></td><td>${e.attemptCount}</td></tr>`,
    )
    .join('');
}

async function main(): Promise<void> {
  const driver = await createSqlJsDriver({ init: { locateFile: () => wasmUrl } });
  const engine = await createEngine({ devMode: true, driver, persistence: 'memory (page thread)' });
  $('#status').textContent = `ready: sql.js on the page thread, schema v${engine.schemaVersion}, persistence: memory`;
  $('#status').dataset['ready'] = 'true';

  $('#create-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    engine.createExecution({
      laneId: String(form.get('lane')),
      priority: Number(form.get('priority')),
      retryPolicy: { maxRetries: Number(form.get('retries')), backoff: { type: 'fixed', delayMs: 0 } },
    });
    render(engine);
  });
  const work = (outcome: 'complete' | 'fail') => () => {
    const lane = String(new FormData($<HTMLFormElement>('#create-form')).get('lane'));
    const handle = engine.claim({ laneId: lane, ...WORKER });
    if (handle && outcome === 'complete') engine.completeExecution({ handle, result: 'ok' });
    if (handle && outcome === 'fail') engine.failExecution({ handle, reason: 'failed from the playground' });
    render(engine);
  };
  $('#complete-one').addEventListener('click', work('complete'));
  $('#fail-one').addEventListener('click', work('fail'));
  render(engine);
}

main().catch((err: unknown) => {
  $('#status').textContent = `failed to start: ${String(err)}`;
});
