import { z } from 'zod';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Every limit a sandbox enforces on one execution. Units are in the names.
 * A limit that is hit ends the execution with a result whose `status` says which
 * (`timeout`, or `error` with `error.type: 'resource'` and `error.limit`).
 */
export interface Limits {
  /** Wall-clock time for the whole execution, promise jobs and top-level await included. */
  timeoutMs: number;
  /** Heap available to the guest's JavaScript engine. */
  memoryLimitBytes: number;
  /** JavaScript stack; deeper recursion throws a catchable `RangeError` in the guest. */
  maxStackSizeBytes: number;
  /** Cap per output stream (stdout, stderr). Writing past it ends the execution (`limit: 'output'`). */
  maxOutputBytes: number;
  /** Cap on the program's JSON-encoded result value (`limit: 'output'` when exceeded). */
  maxResultBytes: number;
  /** Cap on the UTF-8 size of the source code (`limit: 'code_size'`). */
  maxCodeBytes: number;
  /** Cap on the UTF-8 size of the JSON `input` value. */
  maxInputBytes: number;
  /**
   * Instruction budget for backends that meter fuel (wasmtime): roughly one unit per wasm
   * instruction. `null` means "derive from `timeoutMs`" (see {@link FUEL_PER_MS}).
   * Backends without metering ignore it.
   */
  fuel: number | null;
}

/** Names of the built-in presets. */
export type PresetName = 'restrictive' | 'default' | 'permissive';

/** The preset names, for validation and help texts. */
export const PRESET_NAMES: readonly PresetName[] = ['restrictive', 'default', 'permissive'];

/**
 * Fuel units per millisecond of guest CPU time, measured on the wasmtime backend (QuickJS
 * bytecode loops, 2-core reference machine: ~9.2-9.7 million units per ms; see
 * docs/benchmarks.md, "fuel calibration").
 */
export const FUEL_PER_MS = 10_000_000;

/**
 * When `fuel` is `null` the budget is `timeoutMs x FUEL_PER_MS x FUEL_HEADROOM`: the wall-clock
 * deadline stays the primary CPU limit (a busy loop ends as `timeout`), and fuel is a
 * deterministic backstop. Set `fuel` explicitly for exact, machine-independent metering.
 */
export const FUEL_HEADROOM = 2;

const shared = {
  maxOutputBytes: 64 * KiB,
  maxResultBytes: 1 * MiB,
  maxCodeBytes: 100_000,
  maxInputBytes: 1 * MiB,
  fuel: null,
} as const;

/**
 * The named presets. `default` is used when a request names none.
 *
 * | preset | timeoutMs | memoryLimitBytes | maxStackSizeBytes |
 * | --- | --- | --- | --- |
 * | restrictive | 3 000 | 64 MiB | 256 KiB |
 * | default | 5 000 | 128 MiB | 512 KiB |
 * | permissive | 10 000 | 256 MiB | 768 KiB |
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<Limits>>> = Object.freeze({
  restrictive: Object.freeze({
    ...shared,
    timeoutMs: 3_000,
    memoryLimitBytes: 64 * MiB,
    maxStackSizeBytes: 256 * KiB,
  }),
  default: Object.freeze({
    ...shared,
    timeoutMs: 5_000,
    memoryLimitBytes: 128 * MiB,
    maxStackSizeBytes: 512 * KiB,
  }),
  permissive: Object.freeze({
    ...shared,
    timeoutMs: 10_000,
    memoryLimitBytes: 256 * MiB,
    maxStackSizeBytes: 768 * KiB,
  }),
});

/** Inclusive bounds every limit must respect; anything outside is a bad request. */
export const LIMIT_BOUNDS = Object.freeze({
  timeoutMs: { min: 1, max: 300_000 },
  memoryLimitBytes: { min: 1 * MiB, max: 2048 * MiB },
  maxStackSizeBytes: { min: 16 * KiB, max: 768 * KiB },
  maxOutputBytes: { min: 0, max: 64 * MiB },
  maxResultBytes: { min: 16, max: 64 * MiB },
  maxCodeBytes: { min: 1, max: 10 * MiB },
  maxInputBytes: { min: 0, max: 64 * MiB },
  fuel: { min: 1_000, max: 1e15 },
});

const bounded = (name: keyof typeof LIMIT_BOUNDS, unit: string) =>
  z
    .number({ error: `${name} must be a number (${unit})` })
    .int(`${name} must be a whole number of ${unit}`)
    .min(LIMIT_BOUNDS[name].min, `${name} must be at least ${LIMIT_BOUNDS[name].min} ${unit}`)
    .max(LIMIT_BOUNDS[name].max, `${name} must be at most ${LIMIT_BOUNDS[name].max} ${unit}`);

/** zod schema for a partial set of limit overrides; unknown keys are rejected. */
export const limitsOverrideSchema = z
  .object({
    timeoutMs: bounded('timeoutMs', 'milliseconds'),
    memoryLimitBytes: bounded('memoryLimitBytes', 'bytes'),
    maxStackSizeBytes: bounded('maxStackSizeBytes', 'bytes'),
    maxOutputBytes: bounded('maxOutputBytes', 'bytes'),
    maxResultBytes: bounded('maxResultBytes', 'bytes'),
    maxCodeBytes: bounded('maxCodeBytes', 'bytes'),
    maxInputBytes: bounded('maxInputBytes', 'bytes'),
    fuel: bounded('fuel', 'fuel units').nullable(),
  })
  .partial()
  .strict();

/** zod schema for a preset name. */
export const presetNameSchema = z.enum(['restrictive', 'default', 'permissive'], {
  error: (issue) =>
    `unknown preset ${JSON.stringify(issue.input)}; valid presets: ${PRESET_NAMES.join(', ')}`,
});

/**
 * Resolves a preset plus overrides into a complete {@link Limits}. Overrides win.
 *
 * @example
 * resolveLimits('restrictive', { timeoutMs: 1000 }).memoryLimitBytes // 67108864
 */
export function resolveLimits(preset: PresetName = 'default', overrides: Partial<Limits> = {}): Limits {
  const base = PRESETS[preset];
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
}

/** The fuel budget for a set of limits: the explicit `fuel`, else derived from `timeoutMs` (see {@link FUEL_HEADROOM}). */
export function fuelBudget(limits: Pick<Limits, 'fuel' | 'timeoutMs'>): number {
  return limits.fuel ?? limits.timeoutMs * FUEL_PER_MS * FUEL_HEADROOM;
}
