import { ModuleRunner } from './module-runner.js';

/** How long the `runModule` runner stays up after its last call (its timer never holds the process open). */
export const SHARED_RUNNER_IDLE_MS = 2_000;

/**
 * Tasks that may wait for a worker of the shared runner. `runModule` callers hold their module
 * bytes anyway, so waiting costs little; the cap only stops a runaway loop.
 */
const SHARED_RUNNER_MAX_QUEUED = 10_000;

interface SharedRunner {
  runner: Promise<ModuleRunner>;
  calls: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

const runners = new Map<string, SharedRunner>();

function retireWhenIdle(libraryPath: string, shared: SharedRunner): void {
  shared.idleTimer = setTimeout(() => {
    if (shared.calls > 0 || runners.get(libraryPath) !== shared) return;
    runners.delete(libraryPath);
    void shared.runner.then((runner) => runner.dispose()).catch(() => undefined);
  }, SHARED_RUNNER_IDLE_MS);
  shared.idleTimer.unref();
}

/**
 * Runs `use` with the runner `runModule` calls share for a library: created on first use (over
 * the process's shared engine), kept warm {@link SHARED_RUNNER_IDLE_MS} after the last call,
 * then disposed. Idle workers and the idle timer never keep the process alive, so a CLI exits
 * promptly after its last `runModule`.
 */
export async function withSharedRunner<V>(
  libraryPath: string,
  use: (runner: ModuleRunner) => Promise<V>,
): Promise<V> {
  let shared = runners.get(libraryPath);
  if (!shared) {
    const created: SharedRunner = {
      runner: ModuleRunner.start({ libraryPath, maxQueued: SHARED_RUNNER_MAX_QUEUED }),
      calls: 0,
      idleTimer: undefined,
    };
    runners.set(libraryPath, created);
    created.runner.catch(() => {
      if (runners.get(libraryPath) === created) runners.delete(libraryPath);
    });
    shared = created;
  }
  const entry = shared;
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  entry.idleTimer = undefined;
  entry.calls++;
  try {
    return await use(await entry.runner);
  } finally {
    entry.calls--;
    if (entry.calls === 0) retireWhenIdle(libraryPath, entry);
  }
}
