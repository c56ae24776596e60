export { ClientGate } from './client-gate.js';
export {
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_QUEUED,
  DEFAULT_MAX_SESSIONS,
} from './defaults.js';
export { assertTokenForHost, createBearerCheck, MIN_TOKEN_LENGTH, TOKEN_ENV_VARIABLE } from './http/auth.js';
export {
  checkHostAndOrigin,
  createHostPolicy,
  type HostPolicy,
  isLoopbackHost,
  LOOPBACK_HOSTNAMES,
} from './http/host-validation.js';
export {
  type HttpServerOptions,
  MCP_HTTP_PATH,
  type RunningHttpServer,
  startHttpServer,
} from './http/transport.js';
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from './logger.js';
export type { SandboxLike } from './sandbox-like.js';
export { createJsboxMcpServer, type JsboxMcpServerOptions } from './server.js';
export { SUMMARY_EXCERPT_CHARS, type SummaryOptions, summarizeResult } from './summary.js';
export {
  ALLOWED_ARGUMENTS,
  EXECUTE_AGENT_CODE_TOOL,
  type ExecuteAgentCodeToolOptions,
  registerExecuteAgentCode,
} from './tools/execute-agent-code.js';
export {
  type ExecuteAgentCodeInput,
  executeAgentCodeInputSchema,
  toExecutionRequest,
} from './tools/execute-agent-input.js';
export { executeAgentCodeOutputSchema } from './tools/execute-agent-output.js';
export { applyLimitCaps, type LimitCaps } from './tools/limit-caps.js';
export {
  describeSandbox,
  registerSandboxInfo,
  SANDBOX_INFO_TOOL,
  SANDBOX_INFO_URI,
  type SandboxInfo,
  type ServerLimits,
  sandboxInfoSchema,
  summarizeSandboxInfo,
} from './tools/sandbox-info.js';
export { SERVER_PACKAGE } from './version.js';
