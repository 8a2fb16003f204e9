// `npm start`: the playground, on a fresh machine too.
import { ensureDeps, run } from './ensure-deps.mjs';

ensureDeps();
run(`npx vite --config vite.config.ts ${process.argv.slice(2).join(' ')}`);
