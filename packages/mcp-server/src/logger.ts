/** Severity of a log line, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Every log level, most severe first (for validation and help texts). */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** A small levelled logger. It never writes to stdout: on stdio, stdout belongs to the protocol. */
export interface Logger {
  /** The least severe level written; lines below it are dropped. */
  readonly level: LogLevel;
  /** Writes a line about a failure; written at every level. */
  error(message: string): void;
  /** Writes a line about something unexpected that the server survived. */
  warn(message: string): void;
  /** Writes a line about normal operation (start-up, backend, shutdown). */
  info(message: string): void;
  /** Writes a detailed line, only at level `debug`. */
  debug(message: string): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lines less severe than this are dropped. Default `'info'`. */
  level?: LogLevel;
  /** Where lines go. Default: standard error. */
  write?: (line: string) => void;
}

/**
 * Creates a logger writing `jsbox-mcp <level>: <message>` lines (to stderr by default).
 *
 * @example
 * const logger = createLogger({ level: 'warn' });
 * logger.info('dropped'); logger.warn('written to stderr');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (lineLevel: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(lineLevel) <= threshold) write(`jsbox-mcp ${lineLevel}: ${message}\n`);
  };
  return { level, error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

/** A logger that drops everything (the default of the programmatic API). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
