import { availableParallelism } from 'node:os';

/** Default executions at once: the CPU count, at most 4 (the sandbox's own pool default). */
export const DEFAULT_MAX_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));

/** Default executions that may wait for a worker before calls fail with "busy". */
export const DEFAULT_MAX_QUEUED = 16;

/** Default HTTP port. */
export const DEFAULT_HTTP_PORT = 3000;

/** Default HTTP request body limit: large enough for a 1 MiB input plus 100 kB of code, JSON-escaped. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Default cap on concurrent HTTP sessions. */
export const DEFAULT_MAX_SESSIONS = 64;
