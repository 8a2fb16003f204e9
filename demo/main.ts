/**
 * The playground: a FlowFabric backend in this tab (SQLite WASM in a
 * worker, saved to IndexedDB) shown through `<ff-devtools>`, the same
 * element users mount in their own app, with the route in the page URL.
 * What only the playground has (the in-page worker and sample data) sits
 * in the devtools' overview slot; it lives under playground/.
 */
import { createBrowserBackend, type BrowserBackend } from '../src/index.js';
import { FfDevtools } from '../src/devtools/element.js';
import { installTestHandle } from '../src/testing/index.js';
import { loadPlaying, readConfig, savePlaying, urlWith } from './playground/config.js';
import { seedWaitpointSecret } from './playground/waitpoint-secret.js';
import { PlaygroundWorker } from './playground/worker-panel.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

async function main(): Promise<void> {
  const config = readConfig(location.search);
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
    const e = err as { code?: unknown; message?: unknown };
    boot.textContent = `The backend did not start: ${String(e.code ?? 'error')}: ${String(e.message ?? err)}`;
    boot.dataset['state'] = 'error';
    boot.setAttribute('role', 'alert');
    return;
  }

  const devtools = new FfDevtools();
  devtools.layout = 'page';
  devtools.routing = 'hash';
  devtools.heading = 'FlowFabric playground';
  devtools.description = 'A durable-execution backend running entirely in this tab: SQLite (WASM) in a worker, saved to IndexedDB. Nothing else to run.';
  devtools.settings = {
    sliceTicks: config.sliceTicks,
    clockMode: config.clockMode,
    // ?play=1 / ?play=0 decides; otherwise the saved preference can only start playback, never stop another tab's.
    play: config.play ?? (loadPlaying(config.dbName) || null),
    onPlayChange: (playing) => savePlaying(config.dbName, playing),
    clockSwitchHref: urlWith({ clock: config.clockMode === 'virtual' ? 'real' : 'virtual' }),
  };
  devtools.backend = backend;
  boot.replaceWith(devtools);
  await devtools.updateComplete;
  const store = devtools.store!;
  const worker = new PlaygroundWorker();
  worker.slot = 'overview';
  worker.store = store;
  devtools.append(worker);
  // Suspending needs a waitpoint secret: seed a random one whenever this database has none.
  const seed = (): Promise<unknown> => seedWaitpointSecret(backend).catch((err: unknown) => store.notify(err, 'Seeding the waitpoint secret'));
  store.onDatabaseReplaced(() => void seed());
  await seed();

  if (config.testHandle) {
    // Only with ?testHandle=1: end-to-end tests drive the backend through window.__ffBackend.
    await installTestHandle(backend, {
      onChange: (change) => {
        if (change === 'reset') store.databaseReplaced();
        else store.invalidate();
        if (change === 'clock') void backend.now().then((now) => store.rememberClock(now));
      },
    });
  }
  document.body.dataset['ready'] = 'true';
}

void main();
