import { type ExecutionRequest, PRESETS, type PresetName } from '@jsbox/core';

/** Server-side ceilings on the limits a client may ask for. Unset = the contract's own bounds. */
export interface LimitCaps {
  /** Largest `timeoutMs` a call may use. */
  timeoutMs?: number | undefined;
  /** Largest `memoryLimitBytes` a call may use. */
  memoryLimitBytes?: number | undefined;
}

/**
 * Applies the server's caps to one request: a limit the client asked for explicitly above a cap
 * is refused (the message says the cap and the flag that sets it); a limit that only comes from a
 * preset (e.g. `permissive`) is lowered to the cap. `defaultPreset` is asked only when a cap is set.
 */
export function applyLimitCaps(
  request: ExecutionRequest,
  caps: LimitCaps,
  defaultPreset: () => PresetName,
): { request: ExecutionRequest } | { refusal: string } {
  if (caps.timeoutMs === undefined && caps.memoryLimitBytes === undefined) return { request };
  const preset = PRESETS[request.preset ?? defaultPreset()] ?? PRESETS.default;
  const limits = { ...request.limits };
  const checks = [
    ['timeoutMs', caps.timeoutMs, '--max-timeout-ms', 'ms'],
    ['memoryLimitBytes', caps.memoryLimitBytes, '--max-memory-limit-bytes', 'bytes'],
  ] as const;
  for (const [name, cap, flag, unit] of checks) {
    if (cap === undefined) continue;
    const asked = limits[name];
    if (asked !== undefined) {
      if (asked > cap)
        return { refusal: `${name} ${asked} is above this server's cap of ${cap} ${unit} (${flag})` };
    } else if (preset[name] > cap) {
      limits[name] = cap;
    }
  }
  return { request: Object.keys(limits).length > 0 ? { ...request, limits } : request };
}
