import { UnknownBackendError } from '@jsbox/core';

/** What a caller may ask for: a backend by name, or `auto` (the best one available here). */
export type BackendChoice = 'auto' | 'quickjs' | 'wasmtime';

/** Every accepted backend choice, `auto` first. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'quickjs', 'wasmtime'];

/** The environment variable read when no backend option is given. */
export const BACKEND_ENV_VARIABLE = 'MCP_SANDBOX_BACKEND';

/**
 * Picks the backend choice: the option, else `MCP_SANDBOX_BACKEND`, else `auto`.
 * Names are trimmed and case-insensitive; anything else throws {@link UnknownBackendError}.
 *
 * @example
 * resolveBackendChoice(undefined, { MCP_SANDBOX_BACKEND: 'quickjs' }) // 'quickjs'
 */
export function resolveBackendChoice(
  option: string | undefined,
  env: Record<string, string | undefined> = process.env,
): { choice: BackendChoice; source: 'option' | 'env' | 'default' } {
  const fromEnv = env[BACKEND_ENV_VARIABLE];
  const [raw, source] =
    option !== undefined
      ? [option, 'option' as const]
      : fromEnv !== undefined && fromEnv.trim() !== ''
        ? [fromEnv, 'env' as const]
        : ['auto', 'default' as const];
  const normalised = raw.trim().toLowerCase();
  const choice = BACKEND_CHOICES.find((name) => name === normalised);
  if (!choice) {
    const where = source === 'env' ? ` (from ${BACKEND_ENV_VARIABLE})` : '';
    throw new UnknownBackendError(`${raw}${where}`, BACKEND_CHOICES);
  }
  return { choice, source };
}
