/**
 * Start-up phase marks. Each returns performance.now() and leaves a User
 * Timing mark named `ff:<phase>`, which a Chrome trace shows on the worker's
 * thread: bench/cold-profile.ts cuts the sampled profile of a cold start into
 * the phases `status().startup` reports with them. The mark is cleared at
 * once (the trace event is already out), so nothing piles up in the
 * performance timeline; it costs a few microseconds.
 */
export function startupMark(phase: string): number {
  const name = `ff:${phase}`;
  performance.mark(name);
  performance.clearMarks(name);
  const at = performance.now();
  if (!MARKED.has(phase)) MARKED.set(phase, at);
  return at;
}

const MARKED = new Map<string, number>();

/** performance.now() at the first mark of `phase` in this context (in a worker, ms since the worker was created). */
export function markedAt(phase: string): number | undefined {
  return MARKED.get(phase);
}
