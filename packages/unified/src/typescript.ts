import {
  CompileError,
  type ExecutionResult,
  type ResolvedExecutionRequest,
  type ResultBase,
} from '@jsbox/core';

/** A request turned into JavaScript, with a way to map guest stacks back to the TypeScript source. */
export interface TranspiledRequest {
  request: ResolvedExecutionRequest;
  mapResult(result: ExecutionResult): ExecutionResult;
}

/**
 * Strips TypeScript types (with `@jsbox/compiler`, loaded lazily) for backends that only take
 * JavaScript. A TypeScript syntax error becomes a `syntax` error result, like on every backend.
 */
export async function transpileForBackend(
  request: ResolvedExecutionRequest,
  base: ResultBase,
): Promise<TranspiledRequest | ExecutionResult> {
  const { transpileTypeScript, mapStackToSource } = await import('@jsbox/compiler');
  try {
    const output = await transpileTypeScript(request.code, { filename: request.filename });
    return {
      request: { ...request, code: output.code, language: 'javascript' },
      mapResult(result) {
        if (result.status !== 'error' || !result.error.stack) return result;
        const mapped = mapStackToSource(result.error.stack, output.sourceMap);
        return {
          ...result,
          error: {
            ...result.error,
            stack: mapped.stack,
            ...(mapped.line !== undefined ? { line: mapped.line, column: mapped.column } : {}),
          },
        };
      },
    };
  } catch (error) {
    if (!CompileError.isInstance(error)) throw error;
    return {
      ...base,
      status: 'error',
      error: {
        type: 'syntax',
        name: 'SyntaxError',
        message: error.message,
        ...(error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : {}),
      },
    };
  }
}
