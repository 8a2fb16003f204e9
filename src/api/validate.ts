import type { z } from 'zod';
import { EngineError } from './errors.js';
import { findShapeProblem } from './input-shape.js';

/** A zod issue as plain data (zod 4 keeps `issues` non-enumerable on its error). */
export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * Parse `input` with `schema`, or throw `validation.invalid_input` naming the
 * first offending field, with every issue attached as plain objects. The
 * rules of input-shape.ts (well-formed text, no `__proto__` keys, bounded
 * nesting) are checked first, for every input.
 */
export function parseInput<S extends z.ZodType>(method: string, schema: S, input: unknown): z.output<S> {
  const problem = findShapeProblem(input);
  if (problem) {
    const field = problem.path || '(input)';
    throw new EngineError('validation.invalid_input', `${method}: ${field}: ${problem.message}`, {
      method,
      field,
      issues: [{ path: problem.path, code: 'custom', message: problem.message }],
    });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0]!;
  const field = first.path || '(input)';
  throw new EngineError('validation.invalid_input', `${method}: ${field}: ${first.message}`, {
    method,
    field,
    issues,
  });
}
