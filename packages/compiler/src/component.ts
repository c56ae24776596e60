import { readFile } from 'node:fs/promises';
import { JcoUnavailableError } from './errors.js';

interface JcoApi {
  componentNew(bytes: Uint8Array, adapters?: Array<[string, Uint8Array]>): Promise<Uint8Array>;
  preview1AdapterCommandPath(): URL;
}

let jco: Promise<JcoApi> | undefined;

/** Loads `@bytecodealliance/jco` on first use (optional peer dependency). */
function loadJco(): Promise<JcoApi> {
  jco ??= (import('@bytecodealliance/jco' as string) as Promise<JcoApi>).catch((error: unknown) => {
    jco = undefined;
    throw new JcoUnavailableError('the optional dependency @bytecodealliance/jco is not installed', {
      cause: error,
    });
  });
  return jco;
}

/**
 * Wraps a static (self-contained WASI preview1 command) module into a WASI preview2 command
 * component with jco's `componentNew` and the preview1 command adapter jco ships.
 * Throws {@link JcoUnavailableError} when jco is not installed.
 */
export async function componentizeCommand(module: Uint8Array): Promise<Uint8Array> {
  const api = await loadJco();
  const adapter = new Uint8Array(await readFile(api.preview1AdapterCommandPath()));
  return api.componentNew(module, [['wasi_snapshot_preview1', adapter]]);
}
