// The hostile cases and their checker live with the unified package's tests (one list, run by
// every suite); the soak, faults and fuzz scripts reuse them from there rather than copying them.

export { sandboxLimitsKey, toToolCall } from '../../mcp-server/test/helpers/adversarial-tool.js';
export { ADVERSARIAL_CASES, type AdversarialCase } from '../../unified/test/adversarial/cases.js';
export { checkAdversarial, HEALTH_PROBE } from '../../unified/test/adversarial/check.js';
export { CONFORMANCE_CASES } from '../../unified/test/conformance/cases.js';
export { testBackends } from '../../unified/test/helpers/backends.js';
