import { JsboxError } from '@jsbox/core';
import { createSandbox } from '@jsbox/unified';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { type CliOptions, HELP_TEXT, parseCliOptions } from './cli-options.js';
import { assertTokenForHost } from './http/auth.js';
import { startHttpServer } from './http/transport.js';
import { createLogger, type Logger } from './logger.js';
import { createJsboxMcpServer } from './server.js';
import { routeConsoleToStderr } from './stdio-guard.js';
import { SERVER_PACKAGE } from './version.js';

/** Exit code for bad flags or environment. */
const EXIT_USAGE = 2;
/** Exit code when the server cannot start (no backend, port taken...). */
const EXIT_FAILURE = 1;
/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;
/** On shutdown, how long HTTP calls in flight may run on before they are cancelled. */
const HTTP_DRAIN_MS = 2_000;
/** Then how long the cancelled calls' answers get to reach their clients. */
const HTTP_FLUSH_MS = 1_000;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Installs SIGINT/SIGTERM handlers before anything starts, so a signal at any moment closes
 * what is open (in reverse order of opening) and exits 0. Returns the registration function
 * and a trigger for "the client went away".
 */
function installShutdown(logger: Logger) {
  const closers: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const shutdown = (why: string) => {
    closing ??= (async () => {
      logger.info(`shutting down (${why})`);
      const force = setTimeout(() => {
        logger.warn(`shutdown took over ${SHUTDOWN_GRACE_MS} ms; exiting anyway`);
        process.exit(0);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          logger.error(`error while shutting down: ${describeError(error)}`);
        }
      }
      process.exit(0);
    })();
    return closing;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { onClose: (close: () => Promise<void>) => closers.push(close), shutdown };
}

async function serve(options: CliOptions, logger: Logger): Promise<void> {
  if (options.transport === 'stdio') routeConsoleToStderr();
  if (options.transport === 'http') assertTokenForHost(options.host, options.token);
  const lifecycle = installShutdown(logger);
  const sandbox = await createSandbox({
    backend: options.backend,
    ...(options.preset ? { preset: options.preset } : {}),
    poolSize: options.maxConcurrency,
    maxQueued: options.maxQueued,
    onLog: (message: string) => logger.info(message),
  });
  lifecycle.onClose(() => sandbox.dispose());
  logger.info(
    `sandbox ready: ${sandbox.backend} ${sandbox.version}${sandbox.backendNote ? ` (${sandbox.backendNote})` : ''}`,
  );
  const limitCaps = {
    ...(options.maxTimeoutMs !== undefined ? { timeoutMs: options.maxTimeoutMs } : {}),
    ...(options.maxMemoryLimitBytes !== undefined ? { memoryLimitBytes: options.maxMemoryLimitBytes } : {}),
  };
  const limits = { maxConcurrency: options.maxConcurrency, maxQueued: options.maxQueued, limitCaps };

  if (options.transport === 'stdio') {
    const server = createJsboxMcpServer({
      sandbox,
      logger,
      ...limits,
      ...(options.maxPerClient !== undefined ? { maxPerClient: options.maxPerClient } : {}),
    });
    lifecycle.onClose(() => server.close());
    process.stdin.once('end', () => void lifecycle.shutdown('client closed stdin'));
    await server.connect(new StdioServerTransport());
    logger.info('serving MCP over stdio');
    return;
  }

  const running = await startHttpServer({
    sandbox,
    logger,
    ...limits,
    maxPerClient:
      options.maxPerClient ?? Math.max(1, Math.ceil((options.maxConcurrency + options.maxQueued) / 2)),
    host: options.host,
    port: options.port,
    ...(options.token ? { token: options.token } : {}),
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    maxBodyBytes: options.maxBodyBytes,
    maxSessions: options.maxSessions,
  });
  lifecycle.onClose(async () => {
    // Answer the calls in flight before closing connections (the SDK client would otherwise wait
    // for them until its own timeout): short ones finish during the drain, the rest are cancelled
    // by disposing the sandbox and come back as cancelled results.
    await running.drain(HTTP_DRAIN_MS);
    const disposing = sandbox.dispose();
    await running.drain(HTTP_FLUSH_MS);
    await running.close();
    await disposing;
  });
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`jsbox-mcp: ${describeError(error)}\n`);
    process.exit(EXIT_USAGE);
  }
  if (options.command === 'help') {
    process.stdout.write(HELP_TEXT);
    return;
  }
  if (options.command === 'version') {
    process.stdout.write(`${SERVER_PACKAGE.version}\n`);
    return;
  }
  const logger = createLogger({ level: options.logLevel });
  try {
    await serve(options, logger);
  } catch (error) {
    // The sandbox may be up (e.g. the port was taken); process.exit ends its workers too.
    const usage = JsboxError.isInstance(error) && error.code === 'invalid_options';
    logger.error(JsboxError.isInstance(error) ? error.message : `could not start: ${describeError(error)}`);
    process.exit(usage ? EXIT_USAGE : EXIT_FAILURE);
  }
}

void main();
