/**
 * One bundled worker script, three roles, told apart by the worker's name
 * (a SharedWorker's name is also part of its identity, so every tab that
 * asks for the same role and database reaches the same instance):
 *
 *   ff-backend-browser:<db>          the engine, as a SharedWorker ('shared') or a dedicated Worker ('dedicated')
 *   ff-backend-browser-leader:<db>   the engine in the leader tab's dedicated Worker ('leader'): it waits for the
 *                                    database's owner lock, which the previous leader's worker may still hold
 *   ff-backend-browser-broker:<db>   the broker SharedWorker ('leader'), which relays ports and never opens a database
 *
 * The name is known before any message arrives, so a role never depends on
 * the order in which a worker gets its first messages.
 */
export type WorkerRole = 'engine' | 'leader-engine' | 'broker';

const PREFIX: Record<WorkerRole, string> = {
  engine: 'ff-backend-browser:',
  'leader-engine': 'ff-backend-browser-leader:',
  broker: 'ff-backend-browser-broker:',
};

export function workerName(role: WorkerRole, database: string): string {
  return `${PREFIX[role]}${database}`;
}

/** The role a worker of this name plays; anything unrecognised is an engine, as before roles existed. */
export function workerRole(name: unknown): WorkerRole {
  if (typeof name !== 'string') return 'engine';
  if (name.startsWith(PREFIX.broker)) return 'broker';
  if (name.startsWith(PREFIX['leader-engine'])) return 'leader-engine';
  return 'engine';
}
