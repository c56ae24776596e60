/**
 * Guest-side adapter between the raw host functions this backend installs and the prelude's
 * `GuestHost` interface. It runs inside QuickJS before the user's code, so it captures the
 * built-ins it needs first.
 *
 * Strings and bytes cross to the host in slices of at most {@link BRIDGE_CHUNK_UNITS} units, so
 * one huge `console.log` never makes the host copy more than a slice past the output cap.
 * `rawWrite(fd, string | ArrayBuffer)` returns the bytes taken, or -1 once the cap was reached;
 * `rawRead(fd, maxBytes)` returns an `ArrayBuffer` (empty at end of input).
 */
export const BRIDGE_CHUNK_UNITS = 16_384;

function guestBridge(
  rawWrite: (fd: number, data: string | ArrayBuffer) => number,
  rawRead: (fd: number, maxBytes: number) => ArrayBuffer,
  inputJson: string | undefined,
  chunkUnits: number,
) {
  const uncurry = Function.prototype.bind.bind(Function.prototype.call) as (
    fn: Function,
  ) => (...args: any[]) => any;
  const stringSlice = uncurry(String.prototype.slice);
  const charCodeAt = uncurry(String.prototype.charCodeAt);
  const bytesSlice = uncurry(Uint8Array.prototype.slice);
  const bytesSet = uncurry(Uint8Array.prototype.set);
  const viewBuffer = uncurry(
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer')!.get!,
  );
  const isView = ArrayBuffer.isView;
  const Bytes = Uint8Array;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;

  function full(): never {
    throw new ErrorCtor('Output limit reached (maxOutputBytes): the sandbox stops the program');
  }
  function bytesOf(data: ArrayBufferView): Uint8Array {
    return new Bytes(viewBuffer(data), data.byteOffset, data.byteLength);
  }
  return {
    write(fd: number, data: string | Uint8Array): number {
      let total = 0;
      if (typeof data === 'string') {
        let at = 0;
        while (at < data.length) {
          let end = at + chunkUnits;
          // Never split a surrogate pair across two slices.
          const last = charCodeAt(data, end - 1);
          if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
          const written = rawWrite(fd, stringSlice(data, at, end));
          if (written < 0) full();
          total += written;
          at = end;
        }
        return total;
      }
      if (!isView(data)) throw new TypeErrorCtor('write expects a string or a typed array');
      const bytes = bytesOf(data);
      for (let at = 0; at < bytes.length; at += chunkUnits) {
        const written = rawWrite(fd, viewBuffer(bytesSlice(bytes, at, at + chunkUnits)));
        if (written < 0) full();
        total += written;
      }
      return total;
    },
    read(fd: number, buffer: Uint8Array): number {
      if (!isView(buffer)) throw new TypeErrorCtor('read expects a Uint8Array');
      const target = bytesOf(buffer);
      const chunk = new Bytes(rawRead(fd, target.length));
      bytesSet(target, chunk);
      return chunk.length;
    },
    inputJson,
  };
}

/** Source of {@link guestBridge}: a function expression `(rawWrite, rawRead, inputJson, chunkUnits) => GuestHost`. */
export const GUEST_BRIDGE_SOURCE = `(${guestBridge.toString()})`;

function settleHelper() {
  const then = Function.prototype.call.bind(Promise.prototype.then) as (
    promise: Promise<unknown>,
    onFulfilled: (value: any) => unknown,
  ) => Promise<unknown>;
  // The async script's promise fulfils with `{ value }`; a promise there is adopted (settled) too.
  return (completion: Promise<{ value: unknown }>) => then(completion, (record) => record.value);
}

/** Source of a guest function that turns the async script's completion promise into its final value. */
export const SETTLE_HELPER_SOURCE = `(${settleHelper.toString()})()`;
