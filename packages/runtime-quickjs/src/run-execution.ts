import { performance } from 'node:perf_hooks';
import {
  type DescribedError,
  type ExecutionResult,
  GUEST_PRELUDE_SOURCE,
  type GuestOutcome,
  isHostStackOverflow,
  OutputBuffer,
  parseDescribedError,
  type ResolvedExecutionRequest,
  type TaskControl,
  toResult,
} from '@jsbox/core';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { EngineInstance } from './engine-instances.js';
import { BRIDGE_CHUNK_UNITS, GUEST_BRIDGE_SOURCE, SETTLE_HELPER_SOURCE } from './guest-bridge.js';

/**
 * QuickJS's `JS_EVAL_FLAG_ASYNC` (1 << 7): evaluates a *global script* with top-level `await`
 * allowed and returns a promise of `{ value }`, the completion value of its last expression
 * statement. quickjs-emscripten 0.32 does not name the flag (its `EvalFlags` stop at
 * BACKTRACE_BARRIER) but passes numeric flags to `JS_Eval` unchanged; the engine inside is
 * QuickJS 2025-09-13, which has it.
 */
const EVAL_GLOBAL_ASYNC = 1 << 7;

const BACKEND = 'quickjs';
const OUT_OF_MEMORY = /out of memory/i;
const STACK_OVERFLOW = /stack overflow/i;
const STRING_TOO_LONG = /^string too long$/;

/** What one run produced, and whether its engine instance may be reused. */
export interface RunReport {
  result: ExecutionResult;
  /** The instance saw a timeout, a resource limit, stack overflow or internal error: discard it. */
  poisoned: boolean;
}

type StopReason = 'deadline' | 'cancelled' | 'output';

/** Per-run state shared by the host functions and the interrupt handler. */
class RunState {
  readonly stdout: OutputBuffer;
  readonly stderr: OutputBuffer;
  readonly startedAt = performance.now();
  readonly deadline: number;
  stop: StopReason | undefined;
  stoppedAt: number | undefined;
  outputFull: 'stdout' | 'stderr' | undefined;
  importTarget: string | undefined;
  inputOffset = 0;
  readonly input: Buffer;

  constructor(
    readonly request: ResolvedExecutionRequest,
    private readonly control: TaskControl,
  ) {
    this.stdout = new OutputBuffer(request.limits.maxOutputBytes);
    this.stderr = new OutputBuffer(request.limits.maxOutputBytes);
    this.deadline = this.startedAt + request.limits.timeoutMs;
    this.input = Buffer.from(request.inputJson ?? '', 'utf8');
  }

  /** The interrupt handler: QuickJS polls it while running code and jobs. */
  shouldInterrupt(): boolean {
    if (this.stop === undefined) {
      if (this.outputFull) this.stop = 'output';
      else
        this.stop = this.control.stopReason() ?? (performance.now() > this.deadline ? 'deadline' : undefined);
      if (this.stop !== undefined) this.stoppedAt = performance.now();
    }
    return this.stop !== undefined;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }
}

/** Handles to free before the context is disposed (a leaked handle makes QuickJS assert). */
class Handles {
  private readonly owned: QuickJSHandle[] = [];
  keep<H extends QuickJSHandle>(handle: H): H {
    this.owned.push(handle);
    return handle;
  }
  freeAll(): void {
    for (const handle of this.owned.splice(0).reverse()) if (handle.alive) handle.dispose();
  }
}

function evalOrThrow(
  context: QuickJSContext,
  handles: Handles,
  source: string,
  filename: string,
): QuickJSHandle {
  const result = context.evalCode(source, filename);
  if (result.error) {
    const error = context.dump(handles.keep(result.error));
    throw new Error(`the sandbox runtime failed to start: ${error?.name}: ${error?.message}`);
  }
  return handles.keep(result.value);
}

function callOrThrow(
  context: QuickJSContext,
  handles: Handles,
  fn: QuickJSHandle,
  ...args: QuickJSHandle[]
): QuickJSHandle {
  const result = context.callFunction(fn, context.undefined, ...args);
  if (result.error) {
    const error = context.dump(handles.keep(result.error));
    throw new Error(`the sandbox runtime failed: ${error?.name}: ${error?.message}`);
  }
  return handles.keep(result.value);
}

function installHostFunctions(context: QuickJSContext, handles: Handles, state: RunState) {
  const rawWrite = handles.keep(
    context.newFunction('write', (fdHandle, dataHandle) => {
      const fd = context.getNumber(fdHandle);
      const sink = fd === 1 ? state.stdout : fd === 2 ? state.stderr : undefined;
      if (!sink) throw new TypeError(`cannot write to fd ${fd}: only 1 (stdout) and 2 (stderr) are open`);
      if (state.outputFull) return context.newNumber(-1);
      let bytes: Uint8Array | string;
      if (context.typeof(dataHandle) === 'string') bytes = context.getString(dataHandle);
      else {
        const view = context.getArrayBuffer(dataHandle);
        bytes = Uint8Array.from(view.value);
        view.dispose();
      }
      const before = sink.byteLength;
      if (!sink.write(bytes)) {
        state.outputFull = fd === 1 ? 'stdout' : 'stderr';
        return context.newNumber(-1);
      }
      return context.newNumber(sink.byteLength - before);
    }),
  );
  const rawRead = handles.keep(
    context.newFunction('read', (fdHandle, maxHandle) => {
      const fd = context.getNumber(fdHandle);
      if (fd !== 0) throw new TypeError(`cannot read fd ${fd}: only 0 (stdin, the input JSON) is open`);
      const max = Math.max(0, Math.min(context.getNumber(maxHandle) | 0, 1 << 20));
      const chunk = state.input.subarray(state.inputOffset, state.inputOffset + max);
      state.inputOffset += chunk.byteLength;
      return context.newArrayBuffer(Uint8Array.from(chunk).buffer);
    }),
  );
  return { rawWrite, rawRead };
}

function describeWith(
  context: QuickJSContext,
  handles: Handles,
  describeError: QuickJSHandle,
  error: QuickJSHandle,
): DescribedError {
  const described = context.callFunction(describeError, context.undefined, error);
  if (described.error) {
    handles.keep(described.error);
    return { name: 'Error', message: 'the guest error could not be described' };
  }
  return parseDescribedError(context.getString(handles.keep(described.value)));
}

/**
 * When QuickJS cannot allocate even its out-of-memory error it throws `null` instead. An uncaught
 * `null` after which the engine still cannot evaluate `1 + 1` is therefore the memory limit; a
 * guest's own `throw null` with room left stays an exception. (The wasmtime engine counts refused
 * allocations instead.) The probe touches no global, so the guest cannot influence it.
 */
function isHeapExhaustedNull(context: QuickJSContext, handles: Handles, error: QuickJSHandle): boolean {
  if (!context.sameValue(error, context.null)) return false;
  try {
    const probe = context.evalCode('1 + 1', '<jsbox:heap-probe>');
    if (probe.error) {
      handles.keep(probe.error);
      return true;
    }
    handles.keep(probe.value);
    return false;
  } catch {
    return true;
  }
}

const HEAP_EXHAUSTED: GuestOutcome = {
  kind: 'limit',
  limit: 'memory',
  message: 'QuickJS ran out of memory (the memory limit was reached)',
};

/** Runs the user's code to completion in `context` and says how it ended (before stop/violation checks). */
function evaluate(
  runtime: QuickJSRuntime,
  context: QuickJSContext,
  handles: Handles,
  state: RunState,
  hooks: { encode: QuickJSHandle; describeError: QuickJSHandle; settle: QuickJSHandle },
): GuestOutcome {
  const { request } = state;
  const thrown = (handle: QuickJSHandle, compiling = false): GuestOutcome => {
    const value = handles.keep(handle);
    if (isHeapExhaustedNull(context, handles, value)) return HEAP_EXHAUSTED;
    const error = describeWith(context, handles, hooks.describeError, value);
    return { kind: 'exception', phase: compiling && error.name === 'SyntaxError' ? 'compile' : 'run', error };
  };
  const evaluated = context.evalCode(request.code, request.filename, EVAL_GLOBAL_ASYNC);
  if (evaluated.error) return thrown(evaluated.error, true);
  const final = callOrThrow(context, handles, hooks.settle, handles.keep(evaluated.value));
  for (;;) {
    const promise = context.getPromiseState(final);
    if (promise.type === 'fulfilled') {
      const value = handles.keep(promise.value);
      const maxBytes = handles.keep(context.newNumber(request.limits.maxResultBytes));
      const encoded = context.callFunction(hooks.encode, context.undefined, value, maxBytes);
      if (encoded.error) return thrown(encoded.error);
      const text = handles.keep(encoded.value);
      if (context.typeof(text) === 'number') {
        return {
          kind: 'limit',
          limit: 'output',
          message: `The result is larger than maxResultBytes (${request.limits.maxResultBytes} bytes of JSON)`,
        };
      }
      return { kind: 'value', value: JSON.parse(context.getString(text)) };
    }
    if (promise.type === 'rejected') return thrown(promise.error);
    if (state.stop !== undefined) return { kind: 'unsettled' };
    if (!runtime.hasPendingJob()) return { kind: 'unsettled' };
    const jobs = runtime.executePendingJobs(-1);
    if (jobs.error) {
      // Reaction jobs catch ordinary errors into promises; what escapes is an interrupt or a fatal error.
      const error = handles.keep(jobs.error);
      if (state.stop !== undefined) return { kind: 'unsettled' };
      if (isHeapExhaustedNull(context, handles, error)) return HEAP_EXHAUSTED;
      const dumped = context.dump(error);
      return {
        kind: 'exception',
        phase: 'run',
        error: {
          name: typeof dumped?.name === 'string' ? dumped.name : 'InternalError',
          message: typeof dumped?.message === 'string' ? dumped.message : String(dumped),
          ...(typeof dumped?.stack === 'string' ? { stack: dumped.stack } : {}),
        },
      };
    }
  }
}

function guestViolation(
  context: QuickJSContext,
  handles: Handles,
  violation: QuickJSHandle,
  state: RunState,
) {
  const result = context.callFunction(violation, context.undefined);
  let text = '';
  if (result.error) handles.keep(result.error);
  else text = context.getString(handles.keep(result.value));
  if (text) return JSON.parse(text) as { kind: string; target?: string; message: string };
  if (state.importTarget !== undefined) {
    return {
      kind: 'import',
      target: state.importTarget,
      message: `import(${JSON.stringify(state.importTarget)}) is not available in the sandbox: there are no modules or host APIs`,
    };
  }
  return undefined;
}

function finalOutcome(base: GuestOutcome, state: RunState): GuestOutcome {
  if (state.outputFull) {
    return {
      kind: 'limit',
      limit: 'output',
      message: `The program wrote more than maxOutputBytes (${state.request.limits.maxOutputBytes} bytes) to ${state.outputFull}`,
    };
  }
  if (state.stop === 'deadline' || state.stop === 'cancelled') {
    return {
      kind: 'timeout',
      reason: state.stop,
      elapsedMs: Math.round((state.stoppedAt ?? performance.now()) - state.startedAt),
      timeoutMs: state.request.limits.timeoutMs,
    };
  }
  return base;
}

function isPoisoning(outcome: GuestOutcome, state: RunState): boolean {
  if (state.stop !== undefined) return true;
  if (outcome.kind === 'crash' || outcome.kind === 'limit') return true;
  if (outcome.kind === 'exception') {
    const { message } = outcome.error;
    return OUT_OF_MEMORY.test(message) || STACK_OVERFLOW.test(message) || STRING_TOO_LONG.test(message);
  }
  return false;
}

/**
 * Runs one request in a fresh QuickJS runtime and context on `instance`: the prelude first, then
 * the user's code as an async global script, then promise jobs until its value settles, all under
 * the interrupt handler (deadline, cancel flag, output cap). Never throws for guest behaviour.
 */
export function runExecution(
  instance: EngineInstance,
  request: ResolvedExecutionRequest,
  control: TaskControl,
): RunReport {
  const state = new RunState(request, control);
  const handles = new Handles();
  let runtime: QuickJSRuntime | undefined;
  let context: QuickJSContext | undefined;
  let outcome: GuestOutcome;
  try {
    runtime = instance.module.newRuntime();
    runtime.setMemoryLimit(request.limits.memoryLimitBytes);
    runtime.setMaxStackSize(request.limits.maxStackSizeBytes);
    runtime.setInterruptHandler(() => state.shouldInterrupt());
    context = runtime.newContext();
    const ctx = context;
    let recordViolation: QuickJSHandle | undefined;
    runtime.setModuleLoader((name) => {
      state.importTarget ??= name;
      if (recordViolation?.alive) {
        const kind = ctx.newString('import');
        const target = ctx.newString(name);
        const recorded = ctx.callFunction(recordViolation, ctx.undefined, kind, target);
        (recorded.error ?? recorded.value).dispose();
        kind.dispose();
        target.dispose();
      }
      return { error: new Error(`import(${JSON.stringify(name)}) is not available in the sandbox`) };
    });
    const { rawWrite, rawRead } = installHostFunctions(ctx, handles, state);
    const bridge = evalOrThrow(ctx, handles, GUEST_BRIDGE_SOURCE, '<jsbox:bridge>');
    const inputJson = handles.keep(
      request.inputJson === undefined ? ctx.undefined : ctx.newString(request.inputJson),
    );
    const chunk = handles.keep(ctx.newNumber(BRIDGE_CHUNK_UNITS));
    const host = callOrThrow(ctx, handles, bridge, rawWrite, rawRead, inputJson, chunk);
    const prelude = evalOrThrow(ctx, handles, GUEST_PRELUDE_SOURCE, '<jsbox:prelude>');
    const guest = callOrThrow(ctx, handles, prelude, host);
    const settle = evalOrThrow(ctx, handles, SETTLE_HELPER_SOURCE, '<jsbox:settle>');
    const encode = handles.keep(ctx.getProp(guest, 'encode'));
    const describeError = handles.keep(ctx.getProp(guest, 'describeError'));
    const violation = handles.keep(ctx.getProp(guest, 'violation'));
    recordViolation = handles.keep(ctx.getProp(guest, 'recordViolation'));
    const evaluated = evaluate(runtime, ctx, handles, state, { encode, describeError, settle });
    const escaped = state.stop === undefined ? guestViolation(ctx, handles, violation, state) : undefined;
    outcome = finalOutcome(escaped ? { kind: 'violation', violation: escaped } : evaluated, state);
  } catch (error) {
    outcome = finalOutcome(crashOutcome(error), state);
  }
  const poisoned = isPoisoning(outcome, state) || !release(handles, context, runtime, outcome);
  const result = toResult(
    outcome,
    {
      stdout: state.stdout.text(),
      stderr: state.stderr.text(),
      truncated: { stdout: state.stdout.overflowed, stderr: state.stderr.overflowed },
      durationMs: state.elapsedMs(),
      backend: BACKEND,
    },
    request.filename,
  );
  return { result, poisoned };
}

function crashOutcome(error: unknown): GuestOutcome {
  if (isHostStackOverflow(error)) {
    // Deeply nested code (e.g. 10k brackets) can exhaust V8's native stack inside the engine's
    // parser before QuickJS's own stack check fires; the instance is discarded (a limit poisons).
    return {
      kind: 'limit',
      limit: 'stack',
      message: 'The program nests too deeply: the engine ran out of native stack (maxStackSizeBytes)',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (OUT_OF_MEMORY.test(message)) {
    return {
      kind: 'limit',
      limit: 'memory',
      message: `The engine ran out of memory (memoryLimitBytes): ${message}`,
    };
  }
  return { kind: 'crash', message: `The QuickJS engine failed: ${message}` };
}

/** Frees a healthy run's handles, context and runtime. Returns false when that failed. */
function release(
  handles: Handles,
  context: QuickJSContext | undefined,
  runtime: QuickJSRuntime | undefined,
  outcome: GuestOutcome,
): boolean {
  if (outcome.kind === 'crash' || outcome.kind === 'limit' || outcome.kind === 'timeout') return false;
  try {
    handles.freeAll();
    context?.dispose();
    runtime?.dispose();
    return true;
  } catch {
    return false;
  }
}
