import {
  type ExecutionRequest,
  type ExecutionResult,
  resolveExecutionRequest,
  type SandboxBackend,
} from '@jsbox/core';
// Tests run against the built package: the worker script only exists in dist.
import { createQuickjsBackend, type QuickjsBackendOptions } from '../dist/index.js';

/** A backend plus a one-line runner for requests. */
export interface TestBackend {
  backend: SandboxBackend;
  run(request: ExecutionRequest, signal?: AbortSignal): Promise<ExecutionResult>;
}

export async function startBackend(options: QuickjsBackendOptions = { poolSize: 1 }): Promise<TestBackend> {
  const backend = await createQuickjsBackend(options);
  return {
    backend,
    run: (request, signal) => backend.execute(resolveExecutionRequest(request), signal ? { signal } : {}),
  };
}

export const MiB = 1024 * 1024;
