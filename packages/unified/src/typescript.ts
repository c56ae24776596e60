import {
  CompileError,
  type ExecutionResult,
  locateInStack,
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
        const stack = mapStackToSource(result.error.stack, output.sourceMap, { fileName: request.filename });
        const location = locateInStack(stack, request.filename);
        const { line: _line, column: _column, ...rest } = result.error;
        return { ...result, error: { ...rest, stack, ...(location ?? {}) } };
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
