import type { ResolvedExecutionRequest } from '@jsbox/core';

/** What the main thread sends a quickjs worker: one resolved request. */
export interface QuickjsTask {
  request: ResolvedExecutionRequest;
}
