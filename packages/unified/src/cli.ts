#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { type ExecutionResult, JsboxError } from '@jsbox/core';
import { parseCliArguments, USAGE } from './cli-arguments.js';
import { createSandbox } from './sandbox.js';

const EXIT_CODES: Record<ExecutionResult['status'], number> = {
  success: 0,
  error: 1,
  security_violation: 3,
  timeout: 124,
};

function describeFailure(result: ExecutionResult): string {
  switch (result.status) {
    case 'success':
      return '';
    case 'error': {
      const where =
        result.error.line !== undefined ? ` (line ${result.error.line}, column ${result.error.column})` : '';
      const limit = result.error.limit ? ` [limit: ${result.error.limit}]` : '';
      return `${result.error.type} error: ${result.error.name}: ${result.error.message}${where}${limit}`;
    }
    case 'timeout':
      return `timeout: stopped after ${result.elapsedMs} ms (limit ${result.timeoutMs} ms, ${result.reason})`;
    case 'security_violation':
      return `security violation: ${result.violation.message}`;
  }
}

async function main(): Promise<number> {
  const command = parseCliArguments(process.argv.slice(2), () => readFileSync(0, 'utf8'));
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command.kind === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const sandbox = await createSandbox({
    ...(command.backend !== undefined ? { backend: command.backend } : {}),
    onLog: (message) => process.stderr.write(`[jsbox] ${message}\n`),
  });
  try {
    const result = await sandbox.execute(command.request);
    if (command.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      if (result.truncated.stdout || result.truncated.stderr)
        process.stderr.write('[jsbox] output was truncated\n');
      if (result.status === 'success') process.stdout.write(`${JSON.stringify(result.result)}\n`);
      else process.stderr.write(`${describeFailure(result)}\n`);
    }
    return EXIT_CODES[result.status];
  } finally {
    await sandbox.dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jsbox-run: ${JsboxError.isInstance(error) ? error.message : String(error)}\n`);
    if (!JsboxError.isInstance(error) && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
