/**
 * Guest-side adjustments that make QuickJS behave as the jsbox contract says, evaluated before
 * the prelude and the user's code.
 *
 * Stack overflow: QuickJS throws `InternalError: stack overflow`, while the contract (like V8)
 * promises a catchable `RangeError`. QuickJS creates that error natively, so it cannot be
 * swapped; instead `InternalError.prototype` is re-parented onto `RangeError.prototype` (so
 * `e instanceof RangeError` holds) and its `name` reads `'RangeError'` for a stack overflow.
 * Other InternalErrors (out of memory, interrupted) keep their name.
 */
function engineShims(): void {
  const internal = (globalThis as { InternalError?: ErrorConstructor }).InternalError;
  if (typeof internal !== 'function') return;
  const prototype = internal.prototype;
  Object.setPrototypeOf(prototype, RangeError.prototype);
  Object.defineProperty(prototype, 'name', {
    configurable: true,
    enumerable: false,
    get(this: { message?: unknown }) {
      return this !== prototype && this.message === 'stack overflow' ? 'RangeError' : 'InternalError';
    },
  });
}

/** Source of {@link engineShims} as an immediately invoked expression. */
export const ENGINE_SHIMS_SOURCE = `(${engineShims.toString()})()`;

/** QuickJS's error when a string would exceed its maximum length (2^30 - 1). */
export const STRING_TOO_LONG = /^string too long$/;
