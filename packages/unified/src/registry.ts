import { type BackendOptions, BackendUnavailableError, type SandboxBackend } from '@jsbox/core';

/** Whether a backend can run here, and if not, why and how to fix it. */
export type BackendStatus = { available: true } | { available: false; reason: string; hint: string };

/** What the registry knows about one backend: how to test for it and how to create it, both lazily. */
export interface BackendEntry {
  name: 'quickjs' | 'wasmtime';
  /**
   * Full check that never throws; `reason`/`hint` say why not. It may load the backend's native
   * library (after proving it safe to load), so it is only run for backends that may be used.
   */
  check(): Promise<BackendStatus>;
  /** Cheap check that never loads native code: for listing the backends usable here. */
  inspect(): Promise<BackendStatus>;
  /** Creates the backend; throws the backend's own `BackendUnavailableError` when it cannot run. */
  create(options: BackendOptions): Promise<SandboxBackend>;
}

const quickjs: BackendEntry = {
  name: 'quickjs',
  async check() {
    return { available: true };
  },
  async inspect() {
    return { available: true };
  },
  async create(options) {
    const { createQuickjsBackend } = await import('@jsbox/runtime-quickjs');
    return createQuickjsBackend(options);
  },
};

const WASMTIME_PACKAGE_HINT =
  'Install @jsbox/runtime-wasmtime and its platform package, e.g. @jsbox/wasmtime-linux-x64-gnu';

function loadWasmtimePackage(): Promise<typeof import('@jsbox/runtime-wasmtime')> {
  return import('@jsbox/runtime-wasmtime').catch((error: unknown) => {
    throw new BackendUnavailableError(
      'wasmtime',
      `@jsbox/runtime-wasmtime could not be loaded (${(error as Error).message})`,
      WASMTIME_PACKAGE_HINT,
      { cause: error },
    );
  });
}

async function wasmtimeStatus(loadLibrary: boolean): Promise<BackendStatus> {
  try {
    const { checkWasmtimeAvailability } = await loadWasmtimePackage();
    const status = await checkWasmtimeAvailability({ loadLibrary });
    return status.available ? { available: true } : status;
  } catch (error) {
    return BackendUnavailableError.isInstance(error)
      ? { available: false, reason: error.reason ?? error.message, hint: error.hint }
      : { available: false, reason: String((error as Error)?.message ?? error), hint: WASMTIME_PACKAGE_HINT };
  }
}

const wasmtime: BackendEntry = {
  name: 'wasmtime',
  check: () => wasmtimeStatus(true),
  inspect: () => wasmtimeStatus(false),
  async create(options) {
    const { createWasmtimeBackend } = await loadWasmtimePackage();
    return createWasmtimeBackend(options);
  },
};

/** Backends in order of preference for `auto`. */
export const BACKENDS: readonly BackendEntry[] = [wasmtime, quickjs];

/** Finds a registry entry by name. */
export function backendEntry(name: 'quickjs' | 'wasmtime'): BackendEntry {
  return name === 'quickjs' ? quickjs : wasmtime;
}
