import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type ExecutionRequest,
  InvalidOptionsError,
  type JsonValue,
  type Limits,
  type PresetName,
} from '@jsbox/core';

/** Usage text of `jsbox-run`. */
export const USAGE = `Usage: jsbox-run [options] [file | -]
       jsbox-run [options] -e "<code>"

Runs JavaScript (or TypeScript) in a jsbox sandbox and prints its output and result.
With no file (or "-"), the program is read from stdin.

Options:
  -e, --eval <code>            run this code instead of a file
  -b, --backend <name>         auto | quickjs | wasmtime (default: $MCP_SANDBOX_BACKEND, else auto)
  -p, --preset <name>          restrictive | default | permissive (default: default)
      --typescript             treat the program as TypeScript (also implied by a .ts/.mts file)
      --input <json>           JSON value visible to the program as the global \`input\`
      --input-file <path>      read that JSON from a file
      --timeout-ms <n>         wall-clock limit in milliseconds
      --memory-limit-bytes <n> heap limit in bytes
      --max-output-bytes <n>   cap per output stream in bytes
      --fuel <n>               instruction budget (wasmtime)
      --json                   print the whole result object as JSON instead of the value
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 success, 1 guest error, 2 bad usage, 3 security violation, 124 timeout.`;

/** A parsed command line. */
export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; request: ExecutionRequest; backend: string | undefined; json: boolean };

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new InvalidOptionsError([
      { path: `--${name}`, message: `expected a whole number, got ${JSON.stringify(text)}` },
    ]);
  }
  return Number(text);
}

function parseJsonInput(text: string, where: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new InvalidOptionsError([{ path: where, message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

/** Parses `jsbox-run` arguments; `readStdin` supplies the program when none is named. Throws InvalidOptionsError. */
export function parseCliArguments(argv: string[], readStdin: () => string): CliCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        eval: { type: 'string', short: 'e' },
        backend: { type: 'string', short: 'b' },
        preset: { type: 'string', short: 'p' },
        typescript: { type: 'boolean' },
        input: { type: 'string' },
        'input-file': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'memory-limit-bytes': { type: 'string' },
        'max-output-bytes': { type: 'string' },
        fuel: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new InvalidOptionsError([{ path: '', message: (error as Error).message }]);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const file = parsed.positionals[0];
  if (parsed.positionals.length > 1) {
    throw new InvalidOptionsError([{ path: '', message: 'give at most one file' }]);
  }
  let code: string;
  if (typeof values.eval === 'string') {
    if (file !== undefined)
      throw new InvalidOptionsError([{ path: '', message: 'give either --eval or a file, not both' }]);
    code = values.eval;
  } else if (file === undefined || file === '-') {
    code = readStdin();
  } else {
    try {
      code = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InvalidOptionsError([
        { path: file, message: `cannot read the file: ${(error as Error).message}` },
      ]);
    }
  }
  let input: JsonValue | undefined;
  if (typeof values.input === 'string') input = parseJsonInput(values.input, '--input');
  if (typeof values['input-file'] === 'string') {
    const path = values['input-file'];
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new InvalidOptionsError([
        { path: '--input-file', message: `cannot read ${path}: ${(error as Error).message}` },
      ]);
    }
    input = parseJsonInput(text, '--input-file');
  }
  const limits: Partial<Limits> = {};
  const timeoutMs = integer('timeout-ms', values['timeout-ms'] as string | undefined);
  const memoryLimitBytes = integer('memory-limit-bytes', values['memory-limit-bytes'] as string | undefined);
  const maxOutputBytes = integer('max-output-bytes', values['max-output-bytes'] as string | undefined);
  const fuel = integer('fuel', values.fuel as string | undefined);
  if (timeoutMs !== undefined) limits.timeoutMs = timeoutMs;
  if (memoryLimitBytes !== undefined) limits.memoryLimitBytes = memoryLimitBytes;
  if (maxOutputBytes !== undefined) limits.maxOutputBytes = maxOutputBytes;
  if (fuel !== undefined) limits.fuel = fuel;
  const typescript = values.typescript === true || (file !== undefined && /\.m?ts$/.test(file));
  const request: ExecutionRequest = {
    code,
    ...(typescript ? { language: 'typescript' as const } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(typeof values.preset === 'string' ? { preset: values.preset as PresetName } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
  return {
    kind: 'run',
    request,
    backend: typeof values.backend === 'string' ? values.backend : undefined,
    json: values.json === true,
  };
}
