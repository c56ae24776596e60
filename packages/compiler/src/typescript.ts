import { CompileError } from '@jsbox/core';
import { type Message, transformSync } from 'esbuild';

/** Output of {@link transpileTypeScript}. */
export interface TranspiledTypeScript {
  /** JavaScript with the types stripped. */
  code: string;
  /** Source map (v3, JSON text) from `code` back to the TypeScript source. */
  sourceMap: string;
}

/** Options of {@link transpileTypeScript}. */
export interface TranspileTypeScriptOptions {
  /** Name of the source file, recorded in the source map (default `main.ts`). */
  filename?: string;
}

/**
 * Strips TypeScript types with esbuild. Types are **not checked**: a program with type errors
 * but valid syntax compiles and runs. Syntax errors throw {@link CompileError} with the
 * 1-based line and column in the TypeScript source.
 *
 * @example
 * const { code, sourceMap } = transpileTypeScript('const n: number = 1; n + 1', { filename: 'main.ts' });
 */
export function transpileTypeScript(
  code: string,
  options: TranspileTypeScriptOptions = {},
): TranspiledTypeScript {
  const filename = options.filename ?? 'main.ts';
  try {
    const result = transformSync(code, {
      loader: 'ts',
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
      target: 'esnext',
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
    });
    return { code: result.code, sourceMap: result.map };
  } catch (error) {
    throw esbuildFailureToCompileError(error, 'TypeScript');
  }
}

/** Maps an esbuild failure (with its `errors` messages) to a {@link CompileError}. */
export function esbuildFailureToCompileError(error: unknown, language: string): CompileError {
  const messages = (error as { errors?: Message[] })?.errors;
  const first = Array.isArray(messages) ? messages[0] : undefined;
  if (!first) {
    return new CompileError(
      `${language} could not be transformed: ${(error as Error)?.message ?? String(error)}`,
      {},
      {
        cause: error,
      },
    );
  }
  const location = first.location ? { line: first.location.line, column: first.location.column + 1 } : {};
  return new CompileError(`SyntaxError: ${first.text}`, location, { cause: error });
}
