import { type BackendOptions, BackendUnavailableError, type SandboxBackend } from '@jsbox/core';

/** What the registry knows about one backend: how to test for it and how to create it, both lazily. */
export interface BackendEntry {
  name: 'quickjs' | 'wasmtime';
  /** Fast check that never throws; `reason`/`hint` say why not. */
  check(): Promise<{ available: true } | { available: false; reason: string; hint: string }>;
  create(options: BackendOptions): Promise<SandboxBackend>;
}

const quickjs: BackendEntry = {
  name: 'quickjs',
  async check() {
    return { available: true };
  },
  async create(options) {
    const { createQuickjsBackend } = await import('@jsbox/runtime-quickjs');
    return createQuickjsBackend(options);
  },
};

const wasmtime: BackendEntry = {
  name: 'wasmtime',
  async check() {
    try {
      const { checkWasmtimeAvailability } = await import('@jsbox/runtime-wasmtime');
      const status = await checkWasmtimeAvailability();
      return status.available ? { available: true } : status;
    } catch (error) {
      return {
        available: false,
        reason: `@jsbox/runtime-wasmtime could not be loaded (${(error as Error).message})`,
        hint: 'Install @jsbox/runtime-wasmtime and its platform package, e.g. @jsbox/wasmtime-linux-x64-gnu',
      };
    }
  },
  async create(options) {
    const status = await this.check();
    if (!status.available) throw new BackendUnavailableError('wasmtime', status.reason, status.hint);
    const { createWasmtimeBackend } = await import('@jsbox/runtime-wasmtime');
    return createWasmtimeBackend(options);
  },
};

/** Backends in order of preference for `auto`. */
export const BACKENDS: readonly BackendEntry[] = [wasmtime, quickjs];

/** Finds a registry entry by name. */
export function backendEntry(name: 'quickjs' | 'wasmtime'): BackendEntry {
  return name === 'quickjs' ? quickjs : wasmtime;
}
