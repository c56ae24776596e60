export { ClientGate } from './client-gate.js';
export {
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_QUEUED,
  DEFAULT_MAX_SESSIONS,
} from './defaults.js';
export { MIN_TOKEN_LENGTH, TOKEN_ENV_VARIABLE, assertTokenForHost, createBearerCheck } from './http/auth.js';
export {
  type HostPolicy,
  LOOPBACK_HOSTNAMES,
  checkHostAndOrigin,
  createHostPolicy,
  isLoopbackHost,
} from './http/host-validation.js';
export {
  type HttpServerOptions,
  MCP_HTTP_PATH,
  type RunningHttpServer,
  startHttpServer,
} from './http/transport.js';
export {
  LOG_LEVELS,
  type LogLevel,
  type Logger,
  type LoggerOptions,
  createLogger,
  silentLogger,
} from './logger.js';
export type { SandboxLike } from './sandbox-like.js';
export { type JsboxMcpServerOptions, createJsboxMcpServer } from './server.js';
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
export {
  SANDBOX_INFO_TOOL,
  SANDBOX_INFO_URI,
  type SandboxInfo,
  type ServerLimits,
  describeSandbox,
  registerSandboxInfo,
  sandboxInfoSchema,
  summarizeSandboxInfo,
} from './tools/sandbox-info.js';
export { SERVER_PACKAGE } from './version.js';
