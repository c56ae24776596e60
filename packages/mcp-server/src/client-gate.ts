/**
 * Counts one client's executions in flight (running or queued in the sandbox) and refuses
 * more than `maxInFlight`, so one client cannot take the whole pool and queue. The sandbox
 * enforces the global limit (`poolSize` + `maxQueued`) on top.
 */
export class ClientGate {
  readonly maxInFlight: number;
  #inFlight = 0;

  /** @param options.maxInFlight executions one client may have running or queued at once (at least 1; may be `Infinity`). */
  constructor(options: { maxInFlight: number }) {
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
  }

  /** Executions in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes a slot; returns the release function, or `undefined` when the client is at its limit. */
  tryAcquire(): (() => void) | undefined {
    if (this.#inFlight >= this.maxInFlight) return undefined;
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
    };
  }
}
