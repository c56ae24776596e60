import { type BackendCapabilities, type Limits, PRESET_NAMES } from '@jsbox/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SandboxLike } from '../sandbox-like.js';

/** The tool name of the sandbox description. */
export const SANDBOX_INFO_TOOL = 'sandbox_info';

/** The resource URI of the sandbox description. */
export const SANDBOX_INFO_URI = 'jsbox://sandbox/info';

/** Server-level limits reported next to the sandbox's own description. */
export interface ServerLimits {
  /** Executions running at once (the sandbox's worker pool). */
  maxConcurrency: number;
  /** Executions that may wait for a worker before calls fail with "busy". */
  maxQueued: number;
  /** Executions one client may have running or queued at once. */
  maxPerClient: number;
}

/** What `sandbox_info` returns. */
export interface SandboxInfo {
  backend: string;
  version: string;
  specificationVersion: string;
  backendNote?: string;
  capabilities: BackendCapabilities;
  defaultPreset: string;
  presets: Record<string, Limits>;
  availableBackends: string[];
  server: { name: string; version: string } & ServerLimits;
}

const limitsSchema = z.object({
  timeoutMs: z.number(),
  memoryLimitBytes: z.number(),
  maxStackSizeBytes: z.number(),
  maxOutputBytes: z.number(),
  maxResultBytes: z.number(),
  maxCodeBytes: z.number(),
  maxInputBytes: z.number(),
  fuel: z.number().nullable(),
});

/** zod schema of {@link SandboxInfo} (the tool's output schema). */
export const sandboxInfoSchema = z.object({
  backend: z.string().describe('The backend running code: quickjs or wasmtime.'),
  version: z.string(),
  specificationVersion: z.string(),
  backendNote: z.string().optional().describe('Why the backend differs from the one asked for, if it does.'),
  capabilities: z.object({
    languages: z.array(z.string()),
    fuel: z.boolean(),
    isolatedThreads: z.boolean(),
    engine: z.string(),
  }),
  defaultPreset: z.string(),
  presets: z.record(z.string(), limitsSchema).describe(`Limits of each preset: ${PRESET_NAMES.join(', ')}.`),
  availableBackends: z.array(z.string()),
  server: z.object({
    name: z.string(),
    version: z.string(),
    maxConcurrency: z.number(),
    maxQueued: z.number(),
    maxPerClient: z.number(),
  }),
});

/** Builds the description shared by the tool and the resource. */
export function describeSandbox(
  sandbox: SandboxLike,
  server: { name: string; version: string } & ServerLimits,
): SandboxInfo {
  const description = sandbox.describe();
  return {
    backend: description.backend,
    version: description.version,
    specificationVersion: description.specificationVersion,
    ...(description.backendNote !== undefined ? { backendNote: description.backendNote } : {}),
    capabilities: { ...description.capabilities, languages: [...description.capabilities.languages] },
    defaultPreset: description.defaultPreset,
    presets: description.presets,
    availableBackends: description.availableBackends,
    server,
  };
}

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

/** A readable version of {@link SandboxInfo} for the tool's text content. */
export function summarizeSandboxInfo(info: SandboxInfo): string {
  const presets = Object.entries(info.presets).map(
    ([name, limits]) =>
      `  ${name}${name === info.defaultPreset ? ' (default)' : ''}: timeoutMs=${limits.timeoutMs}, memory ${mebibytes(limits.memoryLimitBytes)}, output ${limits.maxOutputBytes} bytes per stream, code ${limits.maxCodeBytes} bytes`,
  );
  return [
    `Backend: ${info.backend} ${info.version} (${info.capabilities.engine}; languages ${info.capabilities.languages.join(', ')})`,
    ...(info.backendNote ? [`Note: ${info.backendNote}`] : []),
    `Available backends: ${info.availableBackends.join(', ') || 'none reported'}`,
    'Presets:',
    ...presets,
    `Concurrency: ${info.server.maxConcurrency} at once, ${info.server.maxQueued} queued, ${info.server.maxPerClient} per client`,
  ].join('\n');
}

/** Registers the `sandbox_info` tool and the `jsbox://sandbox/info` resource. */
export function registerSandboxInfo(
  server: McpServer,
  options: { sandbox: SandboxLike; server: { name: string; version: string } & ServerLimits },
): void {
  const read = () => describeSandbox(options.sandbox, options.server);
  server.registerTool(
    SANDBOX_INFO_TOOL,
    {
      title: 'Sandbox info',
      description:
        'Describes the code sandbox behind execute_agent_code: backend and version, languages, the limits of each preset, and concurrency limits.',
      outputSchema: sandboxInfoSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => {
      const info = read();
      return {
        content: [{ type: 'text', text: summarizeSandboxInfo(info) }],
        structuredContent: info as unknown as Record<string, unknown>,
      };
    },
  );
  server.registerResource(
    'sandbox-info',
    SANDBOX_INFO_URI,
    {
      title: 'Sandbox info',
      description: 'The sandbox backend, its version, presets and limits, as JSON.',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(read(), null, 2) }],
    }),
  );
}
