/**
 * FlowFabric's scenarios 5 (capability-routed claims) and 6 (quorum-cancel
 * fan-out), on each driver: run and report them as one section of
 * `npm run bench`, each figure next to FlowFabric's published one.
 */
import type { Driver } from '../src/db/driver.js';
import { failedCapRouting, FLOWFABRIC_CAP_ROUTED_OPS, renderCapRouting, runCapRouting, type CapRoutingResult } from './cap-routing.js';
import { failedQuorumCancel, FLOWFABRIC_QUORUM_SLO_P99_MS, renderQuorumCancel, runQuorumCancel, type QuorumCancelResult } from './quorum-cancel.js';

export interface ScenarioResults {
  capRouted: CapRoutingResult[];
  quorumCancel: QuorumCancelResult[];
}

export async function runFlowFabricScenarios(
  drivers: Record<string, () => Promise<Driver>>,
  quick: boolean,
  progress: (line: string) => void,
  errorText: (err: unknown) => string,
): Promise<ScenarioResults> {
  const results: ScenarioResults = { capRouted: [], quorumCancel: [] };
  for (const [name, open] of Object.entries(drivers)) {
    progress(`  scenario 5, capability-routed claims on ${name} ...`);
    try {
      results.capRouted.push(await runCapRouting(name, open, quick));
    } catch (err) {
      process.exitCode = 1;
      results.capRouted.push(failedCapRouting(name, errorText(err)));
    }
    progress(`  scenario 6, quorum-cancel fan-out on ${name} ...`);
    try {
      results.quorumCancel.push(await runQuorumCancel(name, open, quick));
    } catch (err) {
      process.exitCode = 1;
      results.quorumCancel.push(failedQuorumCancel(name, errorText(err)));
    }
  }
  return results;
}

export function renderFlowFabricScenarios(results: ScenarioResults): string[] {
  return [
    `FlowFabric scenario 5, capability-routed claims ("happy" mode): 100 workers with all 10 capabilities register, 1,000 tasks each requiring one (seeded), workers claim round-robin and complete; ops/s = correct claims / wall from the first registration; median of 3 runs after a warm-up. FlowFabric publishes ${FLOWFABRIC_CAP_ROUTED_OPS} ops/s on Valkey`,
    renderCapRouting(results.capRouted),
    '',
    `FlowFabric scenario 6, quorum-cancel fan-out: n upstreams into an any_of / cancel_remaining group; from completing the first upstream to reading the last sibling cancelled; 10 samples per n, a fresh flow each. FlowFabric's SLO: p99 ≤ ${FLOWFABRIC_QUORUM_SLO_P99_MS} ms at n = 100`,
    renderQuorumCancel(results.quorumCancel),
  ];
}
