import { parseArgs } from 'node:util';
import {
  InvalidOptionsError,
  LIMIT_BOUNDS,
  type PresetName,
  presetNameSchema,
  validationIssuesFromZod,
} from '@jsbox/core';
import { BACKEND_CHOICES, BACKEND_ENV_VARIABLE, type BackendChoice } from '@jsbox/unified';
import { z } from 'zod';
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_QUEUED,
  DEFAULT_MAX_SESSIONS,
} from './defaults.js';
import { MIN_TOKEN_LENGTH, TOKEN_ENV_VARIABLE } from './http/auth.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';

/** Everything the CLI was asked to do, validated. */
export interface CliOptions {
  command: 'serve' | 'help' | 'version';
  transport: 'stdio' | 'http';
  backend: BackendChoice;
  preset?: PresetName | undefined;
  maxConcurrency: number;
  maxQueued: number;
  /** `undefined`: the transport's default (whole capacity on stdio, half of it per HTTP session). */
  maxPerClient?: number | undefined;
  /** Ceiling on a call's `timeoutMs` (`--max-timeout-ms`); `undefined` = the contract's bound. */
  maxTimeoutMs?: number | undefined;
  /** Ceiling on a call's `memoryLimitBytes` (`--max-memory-limit-bytes`). */
  maxMemoryLimitBytes?: number | undefined;
  host: string;
  port: number;
  token?: string | undefined;
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes: number;
  maxSessions: number;
  logLevel: LogLevel;
}

/** The `--help` text. */
export const HELP_TEXT = `Usage: jsbox-mcp [options]

Serves the jsbox sandbox to MCP clients: tool execute_agent_code runs JavaScript with hard
limits, tool sandbox_info (and resource jsbox://sandbox/info) describes the limits.
Speaks MCP over stdio unless --http is given.

Options:
  --backend <name>         auto | quickjs | wasmtime (default: $${BACKEND_ENV_VARIABLE}, else auto)
  --preset <name>          preset for calls that name none: restrictive | default | permissive
  --max-concurrency <n>    executions running at once, 1-64 (default ${DEFAULT_MAX_CONCURRENCY})
  --max-queued <n>         executions waiting for a worker before calls fail as busy, 0-1024 (default ${DEFAULT_MAX_QUEUED})
  --max-per-client <n>     executions one client may have running or queued
                           (default: no per-client limit on stdio, half of
                           max-concurrency + max-queued per HTTP session)
  --max-timeout-ms <n>     largest timeoutMs a call may ask for (default: ${LIMIT_BOUNDS.timeoutMs.max});
                           presets above it are lowered to it
  --max-memory-limit-bytes <n>
                           largest memoryLimitBytes a call may ask for (default: ${LIMIT_BOUNDS.memoryLimitBytes.max})
  --http                   serve Streamable HTTP instead of stdio
  --host <address>         HTTP bind address (default 127.0.0.1); non-loopback needs $${TOKEN_ENV_VARIABLE}
  --port <n>               HTTP port, 0 for any free port (default ${DEFAULT_HTTP_PORT})
  --allowed-host <name>    extra host name accepted in Host/Origin headers (repeatable)
  --allowed-origin <url>   extra origin accepted in the Origin header (repeatable)
  --max-body-bytes <n>     largest HTTP request body (default ${DEFAULT_MAX_BODY_BYTES})
  --max-sessions <n>       concurrent HTTP sessions (default ${DEFAULT_MAX_SESSIONS})
  --log-level <level>      ${LOG_LEVELS.join(' | ')} (default info); logs go to stderr
  --quiet                  same as --log-level error
  --version                print the version and exit
  --help                   print this help and exit

Environment:
  ${BACKEND_ENV_VARIABLE}      backend when --backend is absent
  ${TOKEN_ENV_VARIABLE}          HTTP bearer token (at least ${MIN_TOKEN_LENGTH} characters); when set, every
                           HTTP request must send Authorization: Bearer <token>
`;

const integer = (flag: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${flag} must be a number` })
    .int(`--${flag} must be a whole number`)
    .min(min, `--${flag} must be at least ${min}`)
    .max(max, `--${flag} must be at most ${max}`);

const optionsSchema = z.object({
  backend: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(
      z.enum(BACKEND_CHOICES as [BackendChoice, ...BackendChoice[]], {
        error: (issue) =>
          `unknown backend ${JSON.stringify(issue.input)}; valid backends: ${BACKEND_CHOICES.join(', ')}`,
      }),
    ),
  preset: presetNameSchema.optional(),
  maxConcurrency: integer('max-concurrency', 1, 64),
  maxQueued: integer('max-queued', 0, 1024),
  maxPerClient: integer('max-per-client', 1, 2048).optional(),
  maxTimeoutMs: integer('max-timeout-ms', LIMIT_BOUNDS.timeoutMs.min, LIMIT_BOUNDS.timeoutMs.max).optional(),
  maxMemoryLimitBytes: integer(
    'max-memory-limit-bytes',
    LIMIT_BOUNDS.memoryLimitBytes.min,
    LIMIT_BOUNDS.memoryLimitBytes.max,
  ).optional(),
  host: z.string().trim().min(1, '--host must not be empty'),
  port: integer('port', 0, 65_535),
  token: z
    .string()
    .min(MIN_TOKEN_LENGTH, `${TOKEN_ENV_VARIABLE} must be at least ${MIN_TOKEN_LENGTH} characters`)
    .regex(/^[\x21-\x7e]+$/, `${TOKEN_ENV_VARIABLE} may only hold visible ASCII characters (no spaces)`)
    .optional(),
  allowedHosts: z.array(z.string().trim().min(1, '--allowed-host must not be empty')),
  allowedOrigins: z.array(
    z
      .string()
      .refine((value) => URL.canParse(value), '--allowed-origin must be a URL like https://app.example'),
  ),
  maxBodyBytes: integer('max-body-bytes', 1024, 256 * 1024 * 1024),
  maxSessions: integer('max-sessions', 1, 10_000),
  logLevel: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]], {
    error: (issue) =>
      `unknown log level ${JSON.stringify(issue.input)}; valid levels: ${LOG_LEVELS.join(', ')}`,
  }),
});

/** Turns a parseArgs failure into one issue a person can act on. */
function argumentIssue(error: unknown): InvalidOptionsError {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new InvalidOptionsError([{ path: '', message: `${message}; run jsbox-mcp --help for the options` }]);
}

/**
 * Parses and validates CLI flags and environment variables. Throws {@link InvalidOptionsError}
 * listing every problem.
 *
 * @example
 * parseCliOptions(['--http', '--port', '0'], process.env).transport // 'http'
 */
export function parseCliOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): CliOptions {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    throw argumentIssue(error);
  }
  const { values } = parsed;
  if (values.help) return { ...defaults(), command: 'help' };
  if (values.version) return { ...defaults(), command: 'version' };
  const envBackend = env[BACKEND_ENV_VARIABLE]?.trim() ? env[BACKEND_ENV_VARIABLE] : undefined;
  const envToken = env[TOKEN_ENV_VARIABLE] === '' ? undefined : env[TOKEN_ENV_VARIABLE];
  const result = optionsSchema.safeParse({
    backend: values.backend ?? envBackend ?? 'auto',
    preset: values.preset,
    maxConcurrency: values['max-concurrency'] ?? DEFAULT_MAX_CONCURRENCY,
    maxQueued: values['max-queued'] ?? DEFAULT_MAX_QUEUED,
    maxPerClient: values['max-per-client'],
    maxTimeoutMs: values['max-timeout-ms'],
    maxMemoryLimitBytes: values['max-memory-limit-bytes'],
    host: values.host ?? '127.0.0.1',
    port: values.port ?? DEFAULT_HTTP_PORT,
    token: envToken,
    allowedHosts: values['allowed-host'] ?? [],
    allowedOrigins: values['allowed-origin'] ?? [],
    maxBodyBytes: values['max-body-bytes'] ?? DEFAULT_MAX_BODY_BYTES,
    maxSessions: values['max-sessions'] ?? DEFAULT_MAX_SESSIONS,
    logLevel: values.quiet ? 'error' : (values['log-level'] ?? 'info'),
  });
  if (!result.success) {
    const issues = validationIssuesFromZod(result.error).map((issue) =>
      issue.path === 'backend' && values.backend === undefined
        ? { ...issue, message: `${issue.message} (from ${BACKEND_ENV_VARIABLE})` }
        : issue,
    );
    throw new InvalidOptionsError(issues);
  }
  return { ...result.data, command: 'serve', transport: values.http ? 'http' : 'stdio' };
}

function parseArguments(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      backend: { type: 'string' },
      preset: { type: 'string' },
      'max-concurrency': { type: 'string' },
      'max-queued': { type: 'string' },
      'max-per-client': { type: 'string' },
      'max-timeout-ms': { type: 'string' },
      'max-memory-limit-bytes': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'allowed-origin': { type: 'string', multiple: true },
      'max-body-bytes': { type: 'string' },
      'max-sessions': { type: 'string' },
      'log-level': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function defaults(): Omit<CliOptions, 'command'> {
  return {
    transport: 'stdio',
    backend: 'auto',
    preset: undefined,
    maxConcurrency: DEFAULT_MAX_CONCURRENCY,
    maxQueued: DEFAULT_MAX_QUEUED,
    maxPerClient: undefined,
    maxTimeoutMs: undefined,
    maxMemoryLimitBytes: undefined,
    host: '127.0.0.1',
    port: DEFAULT_HTTP_PORT,
    token: undefined,
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    maxSessions: DEFAULT_MAX_SESSIONS,
    logLevel: 'info',
  };
}
