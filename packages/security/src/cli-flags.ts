import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * Parses `--name value` flags into an object checked by `schema` (zod), so a bad flag ends the
 * script with one line naming the flag and what is allowed, before anything starts.
 */
export function parseFlags<Schema extends z.ZodObject>(
  argv: readonly string[],
  schema: Schema,
  usage: string,
): z.infer<Schema> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const names = Object.keys(schema.shape);
    ({ values } = parseArgs({
      args: [...argv].filter((arg) => arg !== '--'),
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    fail(`${issues.join('; ')}\n${usage}`);
  }
  return parsed.data;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** A whole-number flag within [min, max], with a default. */
export function integerFlag(defaultValue: number, min: number, max: number) {
  return z.coerce
    .number()
    .int(`must be a whole number`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(defaultValue);
}

/** The `--backend` flag: `quickjs` or `wasmtime`. */
export function backendFlag(defaultValue: string) {
  return z
    .enum(['quickjs', 'wasmtime'], { error: 'must be quickjs or wasmtime' })
    .default(defaultValue as 'quickjs');
}
