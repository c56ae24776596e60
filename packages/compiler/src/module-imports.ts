import { CompileError } from '@jsbox/core';
import { build, type Message } from 'esbuild';

const NO_MODULES =
  'The sandbox has no modules, so import statements cannot be resolved; inline the code you need';

/**
 * Rejects `import ... from '...'` statements: a jsbox program is one script with nothing to
 * import. Dynamic `import()` and `require()` are left alone: the guest prelude traps them at
 * run time as a recorded violation. Throws {@link CompileError} at the first static import.
 */
export async function rejectStaticImports(
  source: string,
  loader: 'js' | 'ts',
  filename: string,
): Promise<void> {
  // cheap pre-filter: only sources that mention the keyword pay for a parse
  if (!/\bimport\b/.test(source)) return;
  let errors: Message[] = [];
  try {
    const result = await build({
      stdin: { contents: source, loader, sourcefile: filename },
      bundle: true,
      write: false,
      format: 'esm',
      logLevel: 'silent',
      plugins: [
        {
          name: 'jsbox-no-modules',
          setup(pluginBuild) {
            pluginBuild.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'import-statement') return { errors: [{ text: NO_MODULES }] };
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    errors = result.errors;
  } catch (error) {
    errors = (error as { errors?: Message[] }).errors ?? [];
    if (errors.length === 0) throw error;
  }
  const first = errors[0];
  if (!first) return;
  if (first.text === NO_MODULES && first.location) {
    const specifier = first.location.lineText.slice(
      first.location.column,
      first.location.column + first.location.length,
    );
    throw new CompileError(`${NO_MODULES} (import of ${specifier})`, {
      line: first.location.line,
      column: first.location.column + 1,
    });
  }
  // other problems (syntax errors) are reported by the real compiler with its own wording
}
