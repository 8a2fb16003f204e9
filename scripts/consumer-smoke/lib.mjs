// What every consumer check shares: pack the package as npm would publish
// it, create a throwaway app that installs the tarball from the registry's
// ordinary client (npm's cache makes reruns fast), run its servers, and
// drive it in the system's Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../chromium-args.mjs';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));


export function log(message) {
  console.log(`[consumer-smoke] ${message}`);
}

/** A scratch directory, removed by `cleanup()` unless FF_SMOKE_KEEP=1 (then its path is printed, to look inside). */
export function scratchDir(label) {
  const dir = mkdtempSync(join(tmpdir(), `ff-smoke-${label}-`));
  return {
    dir,
    cleanup() {
      if (process.env.FF_SMOKE_KEEP === '1') log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `npm pack` (whose prepack runs `npm run build`) into `dest`; returns the tarball's path. */
export function packTarball(dest) {
  execFileSync('npm', ['pack', '--pack-destination', dest, '--loglevel=warn'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${dest}`);
  return join(dest, tarball);
}

/** Write `files` ({ relative path: text }) under `dir`. */
export function writeFiles(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Install packages into the app as a user would (`npm install`), from npm's cache where it can. */
export function npmInstall(dir, specs) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Run a command in `dir` to completion; its output is shown only when it fails. */
export function runIn(dir, command, args) {
  try {
    execFileSync(command, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start a long-running server (`npx vite …`) in its own process group and
 * wait until `url` answers. `stop()` ends that group, and nothing else.
 */
export async function startServer(dir, args, url, timeoutMs = 60_000) {
  const child = spawn('npx', args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGTERM');
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npx ${args.join(' ')} exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(url)).ok) return { stop, output: () => output };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`npx ${args.join(' ')} did not answer at ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The system's Chromium (FF_CHROMIUM, else /usr/bin/chromium), through @playwright/test; Playwright's own download is never used. */
export async function launchChromium() {
  const executablePath = process.env.FF_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: set FF_CHROMIUM`);
  const { chromium } = await import('@playwright/test');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
