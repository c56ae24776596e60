import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built bin the tests drive. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Throws a clear message when the package has not been built. */
export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: run \`pnpm --filter @jsbox/mcp-server build\` before the tests`);
  }
}

/** The environment for a server process on `backend` (logs at warn so test output stays readable). */
export function serverEnv(backend: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'JSBOX_MCP_TOKEN') env[key] = value;
  }
  return { ...env, MCP_SANDBOX_BACKEND: backend, ...extra };
}
