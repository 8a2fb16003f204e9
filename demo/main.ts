/**
 * The playground: a FlowFabric backend in this tab (SQLite WASM in a
 * SharedWorker, saved to IndexedDB) and a panel per feature. Each panel is
 * a module under playground/; this file opens the backend and wires them.
 */
import { createBrowserBackend, type BrowserBackend } from '../src/index.js';
import { installTestHandle } from '../src/testing/index.js';
import { App } from './playground/app.js';
import { BudgetsPanel } from './playground/budgets.js';
import { ClockPanel } from './playground/clock.js';
import { readConfig } from './playground/config.js';
import { ExecutionsPanel } from './playground/executions.js';
import { Notices } from './playground/notices.js';
import { QuotasPanel } from './playground/quotas.js';
import { StatusPanel } from './playground/status.js';
import { TimelinePanel } from './playground/timeline.js';
import { WorkerPanel } from './playground/worker.js';
import { WorkersPanel } from './playground/workers.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

async function main(): Promise<void> {
  const config = readConfig(location.search);
  const notices = new Notices($('errors'), $('toasts'));
  const boot = $('boot');
  let backend: BrowserBackend;
  try {
    backend = await createBrowserBackend({
      devMode: true,
      name: config.dbName,
      persistence: config.persistence,
      clock: config.clockMode === 'virtual' ? 'manual' : 'real',
      // A virtual clock starts at the wall time, or where the saved database's clock left off if that is later.
      ...(config.clockMode === 'virtual' && config.clockStartMs !== null ? { clockStartMs: config.clockStartMs } : {}),
    });
  } catch (err) {
    notices.error(err, 'Starting the backend');
    boot.textContent = 'The backend did not start: see the error above.';
    boot.dataset['state'] = 'error';
    return;
  }

  const app = new App(backend, config, notices);
  const clock = new ClockPanel(app);
  const timeline = new TimelinePanel(app);
  const panels = {
    budgets: new BudgetsPanel(app),
    executions: new ExecutionsPanel(app),
    worker: new WorkerPanel(app),
    timeline,
    quotas: new QuotasPanel(app),
    workers: new WorkersPanel(app),
    status: new StatusPanel(app, $('status-pill')),
  };
  $('clock-slot').replaceChildren(clock.el);
  app.add(clock);
  for (const p of Object.values(panels)) {
    $('app').append(p.el);
    app.add(p);
  }
  boot.remove();
  // Suspending needs a waitpoint secret: seed a random one if this database has none.
  await app.waitpointSecret.seed().catch((err: unknown) => notices.error(err, 'Seeding the waitpoint secret'));
  await timeline.start().catch((err: unknown) => notices.error(err, 'Subscribing to events'));

  if (config.testHandle) {
    // Only with ?testHandle=1: end-to-end tests drive the backend through window.__ffBackend.
    await installTestHandle(backend, {
      onChange: (change) => {
        if (change === 'reset') app.databaseReplaced();
        else app.invalidate();
        if (change === 'clock') void backend.now().then((now) => app.rememberClock(now));
      },
    });
  }
  app.start();
  document.body.dataset['ready'] = 'true';
}

void main();
