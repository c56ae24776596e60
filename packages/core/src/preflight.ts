import type { ResolvedExecutionRequest } from './request.js';
import type { ExecutionResult } from './result.js';

/**
 * Checks that need no engine, before a backend spends anything: today the code-size cap.
 * Returns the failure result, or `undefined` to go ahead.
 */
export function preflight(request: ResolvedExecutionRequest, backend: string): ExecutionResult | undefined {
  const bytes = Buffer.byteLength(request.code, 'utf8');
  if (bytes > request.limits.maxCodeBytes) {
    return {
      status: 'error',
      error: {
        type: 'resource',
        limit: 'code_size',
        name: 'CodeSizeLimitError',
        message: `The code is ${bytes} bytes; the limit is ${request.limits.maxCodeBytes} bytes (maxCodeBytes)`,
      },
      stdout: '',
      stderr: '',
      truncated: { stdout: false, stderr: false },
      durationMs: 0,
      backend,
    };
  }
  return undefined;
}
