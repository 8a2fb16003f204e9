/**
 * The summary document of a stream: each summary frame's payload is a JSON
 * merge patch (merge-patch.ts) applied to it, in the append's transaction.
 * Stored as canonical JSON (sorted keys), so a read returns the same text
 * for the same document however it was built.
 */
import { errors } from '../../api/errors.js';
import type { SummaryDocument } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';
import { applyMergePatch, canonicalJson, type Json } from './merge-patch.js';

/** Deepest patch accepted: the patch is applied and serialised recursively. */
export const MAX_PATCH_DEPTH = 64;

type Stream = {
  executionId: string;
  attemptIndex: number;
};

interface SummaryRow {
  document_json: string;
  version: number;
  last_updated_ms: number;
  first_applied_ms: number;
}

/** Apply `patchText` to the stream's summary; returns the new version (the first patch gives 1). */
export function applySummaryPatch(ctx: EngineContext, stream: Stream, patchText: string, ts: number): number {
  let patch: Json;
  try {
    patch = JSON.parse(patchText) as Json;
  } catch (err) {
    throw errors.invalid('payload', `summary patch is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (depthOf(patch) > MAX_PATCH_DEPTH) throw errors.invalid('payload', `summary patch is nested deeper than ${MAX_PATCH_DEPTH} levels`);
  const prior = readRow(ctx, stream);
  const document = applyMergePatch(prior ? parseDocument(prior.document_json, stream) : undefined, patch);
  const version = (prior?.version ?? 0) + 1;
  ctx.db
    .prepare(
      `INSERT INTO ff_stream_summary (execution_id, attempt_index, document_json, version, patch_kind, last_updated_ms, first_applied_ms)
       VALUES (:executionId, :attemptIndex, :document, :version, 'json-merge-patch', :ts, :ts)
       ON CONFLICT (execution_id, attempt_index) DO UPDATE SET
         document_json = excluded.document_json, version = excluded.version,
         patch_kind = excluded.patch_kind, last_updated_ms = excluded.last_updated_ms`,
    )
    .run({ ...stream, document: canonicalJson(document), version, ts });
  return version;
}

export function readSummary(ctx: EngineContext, stream: Stream): SummaryDocument | null {
  const row = readRow(ctx, stream);
  if (!row) return null;
  const document = parseDocument(row.document_json, stream);
  return {
    document,
    documentJson: canonicalJson(document),
    version: row.version,
    patchKind: 'json-merge-patch',
    lastUpdatedMs: row.last_updated_ms,
    firstAppliedMs: row.first_applied_ms,
  };
}

function readRow(ctx: EngineContext, stream: Stream): SummaryRow | undefined {
  return ctx.db
    .prepare(
      `SELECT document_json, version, last_updated_ms, first_applied_ms FROM ff_stream_summary
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex`,
    )
    .get<SummaryRow>(stream);
}

function parseDocument(text: string, stream: Stream): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw errors.corruption(`the summary document of ${stream.executionId} attempt ${stream.attemptIndex} is not JSON`, { ...stream });
  }
}

function depthOf(value: Json, depth = 0): number {
  if (depth > MAX_PATCH_DEPTH || typeof value !== 'object' || value === null) return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}
