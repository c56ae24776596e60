import { format } from 'node:util';

/**
 * On stdio, stdout carries only protocol messages. This sends `console.log/info/debug` (from
 * this process or any dependency) to stderr instead, so a stray log line cannot corrupt the
 * stream. Guest output never goes to the console at all: it travels inside results.
 */
export function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
  console.dir = toStderr;
}
