import { z } from 'zod';

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** zod schema for {@link JsonValue}: finite numbers only, plain arrays and objects. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number().refine(Number.isFinite, 'numbers must be finite'),
    z.string(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** Why a host value is not acceptable as JSON, or `undefined` when it is. */
export type JsonProblem = { path: string; message: string };

/**
 * Checks a host value is plain JSON no deeper than `maxDepth`, without recursion (so hostile,
 * deeply nested values cannot overflow the host's stack), then serialises it.
 */
export function measureJson(
  value: unknown,
  maxDepth = Number.POSITIVE_INFINITY,
): { ok: true; text: string; bytes: number; depth: number } | { ok: false; problem: JsonProblem } {
  let depth = 0;
  const stack: Array<{ value: unknown; path: string; level: number }> = [{ value, path: '', level: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value: current, path, level } = stack.pop()!;
    if (level > depth) depth = level;
    if (depth > maxDepth)
      return { ok: false, problem: { path, message: `nests deeper than ${maxDepth} levels` } };
    if (current === null || typeof current === 'boolean' || typeof current === 'string') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current))
        return { ok: false, problem: { path, message: `${current} is not a JSON number` } };
      continue;
    }
    if (typeof current !== 'object')
      return { ok: false, problem: { path, message: `a ${typeof current} is not JSON` } };
    if (seen.has(current))
      return { ok: false, problem: { path, message: 'holds a cycle or a shared reference' } };
    seen.add(current);
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        stack.push({ value: current[index], path: `${path}[${index}]`, level: level + 1 });
      }
      continue;
    }
    const prototype = Object.getPrototypeOf(current);
    if (prototype !== Object.prototype && prototype !== null) {
      return { ok: false, problem: { path, message: 'only plain objects and arrays are JSON' } };
    }
    for (const [key, child] of Object.entries(current)) {
      stack.push({ value: child, path: path ? `${path}.${key}` : key, level: level + 1 });
    }
  }
  const text = JSON.stringify(value);
  return { ok: true, text, bytes: Buffer.byteLength(text, 'utf8'), depth };
}
