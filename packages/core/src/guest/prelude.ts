/**
 * The guest runtime: JavaScript that every backend evaluates inside the sandbox before the
 * user's code, so that `console`, `Javy.IO`, `input`, `require` and the result encoding behave
 * the same on every backend. It is written here as a real function (type-checked, tested on
 * node:vm) and shipped as source text ({@link GUEST_PRELUDE_SOURCE}).
 *
 * The backend evaluates the source, which yields a function; it calls that function once with
 * a `host` object of native primitives and gets back the {@link GuestRuntime} hooks. The host
 * object is never reachable from user code.
 */

/** Native primitives a backend gives the prelude. */
export interface GuestHost {
  /** Writes a string (as UTF-8) or bytes to fd 1 (stdout) or 2 (stderr); returns bytes written. */
  write(fd: number, data: string | Uint8Array): number;
  /** Reads from fd 0 (the request's `input` as JSON text) into `buffer`; returns bytes read, 0 at end. */
  read(fd: number, buffer: Uint8Array): number;
  /** The request's input as JSON text, or `undefined` when there is none. */
  inputJson: string | undefined;
}

/** Hooks the prelude hands back to the backend. */
export interface GuestRuntime {
  /**
   * Encodes a guest value into JSON text (see docs/guest-api.md, "Result values").
   * Returns a number, the size reached, when the text would exceed `maxBytes`.
   */
  encode(value: unknown, maxBytes: number): string | number;
  /** Describes a thrown value as JSON text `{"name","message","stack"}`. Never throws. */
  describeError(error: unknown): string;
  /** JSON text of the first sandbox-escape attempt (`{"kind","target","message"}`), or `''`. */
  violation(): string;
  /** Records an escape attempt seen by the backend itself (e.g. a dynamic `import()`). */
  recordViolation(kind: string, target: string): void;
}

/**
 * Keys of the tagged objects that stand for values JSON cannot hold, e.g.
 * `{ "$jsbox": "bigint", "value": "12" }`.
 */
export const ENCODED_TAG = '$jsbox';

/** Maximum nesting depth of an encoded result; deeper parts become `{ "$jsbox": "depth_limit" }`. */
export const MAX_RESULT_DEPTH = 100;

function guestPrelude(host: GuestHost): GuestRuntime {
  const g: any = globalThis;
  // Captured before user code runs, so the guest overriding them cannot confuse the encoder.
  const uncurry = Function.prototype.bind.bind(Function.prototype.call) as (
    fn: Function,
  ) => (...args: any[]) => any;
  const quote = JSON.stringify;
  const parse = JSON.parse;
  const objectKeys = Object.keys;
  const getPrototypeOf = Object.getPrototypeOf;
  const defineProperty = Object.defineProperty;
  const isArray = Array.isArray;
  const isNaNValue = Number.isNaN;
  const objectToString = uncurry(Object.prototype.toString);
  const hasOwn = uncurry(Object.prototype.hasOwnProperty);
  const arrayPush = uncurry(Array.prototype.push);
  const arrayJoin = uncurry(Array.prototype.join);
  const arrayIndexOf = uncurry(Array.prototype.indexOf);
  const arrayPop = uncurry(Array.prototype.pop);
  const dateToISO = uncurry(Date.prototype.toISOString);
  const dateValue = uncurry(Date.prototype.getTime);
  const regexpSource = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!);
  const regexpFlags = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get!);
  const mapEntries = uncurry(Map.prototype.entries);
  const setValues = uncurry(Set.prototype.values);
  const bigintToString = uncurry(BigInt.prototype.toString);
  const symbolDescription = uncurry(Object.getOwnPropertyDescriptor(Symbol.prototype, 'description')!.get!);
  const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = uncurry(
    Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!,
  );
  const arrayFrom = Array.from;
  const StringCtor = String;
  const MapCtor = Map;
  const SetCtor = Set;
  const DateCtor = Date;
  const RegExpCtor = RegExp;
  const ErrorCtor = Error;
  const RangeErrorCtor = RangeError;
  const TypeErrorCtor = TypeError;
  const PromiseCtor = Promise;
  const ArrayBufferCtor = ArrayBuffer;
  const Uint8ArrayCtor = Uint8Array;
  const TAG = '$jsbox';
  const MAX_DEPTH = 100;

  let firstViolation = '';
  function recordViolation(kind: string, target: string): void {
    if (firstViolation === '') {
      firstViolation = quote({
        kind,
        target,
        message: `${kind}(${quote(target)}) is not available in the sandbox: there are no modules or host APIs`,
      });
    }
  }

  function isInstance(value: object, ctor: Function): boolean {
    try {
      return value instanceof ctor;
    } catch {
      return false;
    }
  }

  function safeString(value: unknown): string {
    try {
      return StringCtor(value);
    } catch {
      return objectToString(value);
    }
  }

  function numberTag(value: number): string | undefined {
    if (isNaNValue(value)) return 'NaN';
    if (value === Number.POSITIVE_INFINITY) return 'Infinity';
    if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
    if (value === 0 && 1 / value < 0) return '-0';
    return undefined;
  }

  // --- result encoding: iterative over an explicit work list so depth never recurses natively ---
  function encode(root: unknown, maxBytes: number): string | number {
    const out: string[] = [];
    let size = 0;
    const ancestors: object[] = [];
    const paths: string[] = [];
    function emit(text: string): boolean {
      size += text.length;
      if (size > maxBytes) return false;
      arrayPush(out, text);
      return true;
    }
    function tag(kind: string, extra?: Record<string, unknown>): string {
      let text = `{${quote(TAG)}:${quote(kind)}`;
      if (extra) for (const key of objectKeys(extra)) text += `,${quote(key)}:${quote(extra[key])}`;
      return `${text}}`;
    }
    function walk(value: unknown, depth: number, path: string): boolean {
      switch (typeof value) {
        case 'string':
          return emit(quote(value));
        case 'boolean':
          return emit(value ? 'true' : 'false');
        case 'number': {
          const special = numberTag(value);
          return emit(special === undefined ? quote(value) : tag('number', { value: special }));
        }
        case 'undefined':
          return emit(tag('undefined'));
        case 'bigint':
          return emit(tag('bigint', { value: bigintToString(value) }));
        case 'symbol':
          return emit(tag('symbol', { description: symbolDescription(value) ?? null }));
        case 'function':
          return emit(tag('function', { name: safeString((value as Function).name) }));
      }
      if (value === null) return emit('null');
      const object = value as object;
      const seenAt = arrayIndexOf(ancestors, object);
      if (seenAt !== -1) return emit(tag('circular', { path: paths[seenAt] }));
      if (depth >= MAX_DEPTH) return emit(tag('depth_limit'));
      if (typeof (object as any).toJSON === 'function' && !isInstance(object, DateCtor)) {
        const replaced = (object as any).toJSON();
        if (replaced !== object) return walk(replaced, depth, path);
      }
      arrayPush(ancestors, object);
      arrayPush(paths, path);
      const ok = walkObject(object, depth, path);
      arrayPop(ancestors);
      arrayPop(paths);
      return ok;
    }
    function walkList(items: ArrayLike<unknown>, depth: number, path: string): boolean {
      if (!emit('[')) return false;
      for (let index = 0; index < items.length; index++) {
        if (index > 0 && !emit(',')) return false;
        if (!walk(items[index], depth + 1, `${path}[${index}]`)) return false;
      }
      return emit(']');
    }
    function walkObject(object: object, depth: number, path: string): boolean {
      if (isArray(object)) return walkList(object as unknown[], depth, path);
      if (isInstance(object, DateCtor)) {
        const time = dateValue(object);
        return emit(tag('date', { value: isNaNValue(time) ? null : dateToISO(object) }));
      }
      if (isInstance(object, RegExpCtor)) {
        return emit(tag('regexp', { source: regexpSource(object), flags: regexpFlags(object) }));
      }
      if (isInstance(object, ErrorCtor)) {
        const described = parse(describeError(object));
        return emit(tag('error', described));
      }
      if (isInstance(object, PromiseCtor)) return emit(tag('promise'));
      if (isInstance(object, MapCtor)) {
        if (!emit(`{${quote(TAG)}:"map","entries":`)) return false;
        const entries = arrayFrom(mapEntries(object));
        return walkList(entries, depth, `${path}.entries`) && emit('}');
      }
      if (isInstance(object, SetCtor)) {
        if (!emit(`{${quote(TAG)}:"set","values":`)) return false;
        return walkList(arrayFrom(setValues(object)), depth, `${path}.values`) && emit('}');
      }
      if (isInstance(object, ArrayBufferCtor)) {
        if (!emit(`{${quote(TAG)}:"ArrayBuffer","bytes":`)) return false;
        return walkList(new Uint8ArrayCtor(object as ArrayBuffer), depth, `${path}.bytes`) && emit('}');
      }
      let typedName: string | undefined;
      try {
        typedName = typedArrayTag(object);
      } catch {
        typedName = undefined;
      }
      if (typedName !== undefined) {
        if (!emit(`{${quote(TAG)}:${quote(typedName)},"values":`)) return false;
        const values = typedName.startsWith('Big')
          ? arrayFrom(object as ArrayLike<bigint>, (item) => bigintToString(item))
          : (object as unknown as ArrayLike<unknown>);
        return walkList(values, depth, `${path}.values`) && emit('}');
      }
      const keys = objectKeys(object);
      const needsEscape = hasOwn(object, TAG);
      if (needsEscape && !emit(`{${quote(TAG)}:"object","value":`)) return false;
      if (!emit('{')) return false;
      let first = true;
      for (const key of keys) {
        const child = (object as Record<string, unknown>)[key];
        if (!first && !emit(',')) return false;
        first = false;
        if (!emit(`${quote(key)}:`)) return false;
        if (!walk(child, depth + 1, `${path}.${key}`)) return false;
      }
      if (!emit('}')) return false;
      return needsEscape ? emit('}') : true;
    }
    if (!walk(root, 0, '$')) return size;
    return arrayJoin(out, '');
  }

  function describeError(error: unknown): string {
    let name = 'Error';
    let message = '';
    let stack: string | undefined;
    try {
      if (error !== null && typeof error === 'object') {
        const candidate = error as { name?: unknown; message?: unknown; stack?: unknown };
        if (typeof candidate.name === 'string') name = candidate.name;
        message = typeof candidate.message === 'string' ? candidate.message : safeString(error);
        if (typeof candidate.stack === 'string') stack = candidate.stack;
      } else {
        message = `Uncaught ${typeof error === 'string' ? quote(error) : safeString(error)}`;
      }
    } catch {
      message = 'Uncaught exception (its properties could not be read)';
    }
    return quote(stack === undefined ? { name, message } : { name, message, stack });
  }

  // --- console: formats like a terse Node inspect, writes through the host ---
  function inspect(value: unknown, depth: number, seen: object[]): string {
    if (typeof value === 'string') return depth === 0 ? value : quote(value);
    if (typeof value === 'function')
      return `[Function ${safeString((value as Function).name) || '(anonymous)'}]`;
    if (typeof value === 'bigint') return `${bigintToString(value)}n`;
    if (typeof value === 'symbol' || typeof value !== 'object' || value === null) return safeString(value);
    if (arrayIndexOf(seen, value) !== -1) return '[Circular]';
    if (isInstance(value, ErrorCtor)) {
      const described = parse(describeError(value));
      const header = `${described.name}: ${described.message}`;
      if (!described.stack) return header;
      return described.stack.startsWith(header) ? described.stack : `${header}\n${described.stack}`;
    }
    if (depth > 4) return isArray(value) ? '[Array]' : '[Object]';
    arrayPush(seen, value);
    let text: string;
    if (isArray(value)) {
      const parts: string[] = [];
      for (let index = 0; index < value.length && index < 100; index++)
        arrayPush(parts, inspect(value[index], depth + 1, seen));
      if (value.length > 100) arrayPush(parts, `... ${value.length - 100} more items`);
      text = `[ ${arrayJoin(parts, ', ')} ]`;
      if (parts.length === 0) text = '[]';
    } else if (
      isInstance(value, MapCtor) ||
      isInstance(value, SetCtor) ||
      isInstance(value, DateCtor) ||
      isInstance(value, RegExpCtor)
    ) {
      text = encode(value, 4096) as string;
      if (typeof text !== 'string') text = objectToString(value);
    } else {
      const parts: string[] = [];
      for (const key of objectKeys(value)) {
        arrayPush(
          parts,
          `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)}: ${inspect((value as any)[key], depth + 1, seen)}`,
        );
      }
      text = parts.length === 0 ? '{}' : `{ ${arrayJoin(parts, ', ')} }`;
    }
    arrayPop(seen);
    return text;
  }
  function printer(fd: number) {
    return (...args: unknown[]) => {
      const parts: string[] = [];
      for (const arg of args) arrayPush(parts, inspect(arg, 0, []));
      host.write(fd, `${arrayJoin(parts, ' ')}\n`);
    };
  }
  const consoleObject = {
    log: printer(1),
    info: printer(1),
    debug: printer(1),
    error: printer(2),
    warn: printer(2),
    trace: printer(2),
  };

  const hidden = (name: string, value: unknown) =>
    defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });

  // QuickJS throws stack overflow (and out of memory, "string too long", interrupts) as an
  // InternalError, created natively so it cannot be swapped. The contract (like V8) promises a
  // catchable RangeError for deep recursion: InternalError.prototype is re-parented onto
  // RangeError.prototype (`e instanceof RangeError` holds for every engine error) and its `name`
  // reads 'RangeError' for a stack overflow. Other InternalErrors keep their name.
  const InternalErrorCtor = g.InternalError;
  if (typeof InternalErrorCtor === 'function' && InternalErrorCtor.prototype) {
    const internalPrototype = InternalErrorCtor.prototype;
    Object.setPrototypeOf(internalPrototype, RangeError.prototype);
    defineProperty(internalPrototype, 'name', {
      configurable: true,
      enumerable: false,
      get(this: { message?: unknown }) {
        return this !== internalPrototype && this.message === 'stack overflow'
          ? 'RangeError'
          : 'InternalError';
      },
      set(this: object, value: unknown) {
        // Assigning `e.name = ...` on an instance behaves as for a data property.
        defineProperty(this, 'name', { value, writable: true, configurable: true, enumerable: true });
      },
    });
  }

  // Javy.IO checks its arguments here, before any backend sees them, so a wrong fd or buffer is
  // the same error everywhere.
  function fdText(fd: unknown): string {
    return typeof fd === 'string' ? quote(fd) : safeString(fd);
  }
  function isTypedArray(value: unknown): boolean {
    if (value === null || typeof value !== 'object') return false;
    try {
      return typedArrayTag(value) !== undefined;
    } catch {
      return false;
    }
  }
  function writeSync(fd: unknown, buffer: unknown): number {
    if (fd !== 1 && fd !== 2)
      throw new RangeErrorCtor(
        `Javy.IO.writeSync can only write to fd 1 (stdout) or 2 (stderr), not ${fdText(fd)}`,
      );
    if (typeof buffer !== 'string' && !isTypedArray(buffer))
      throw new TypeErrorCtor('Javy.IO.writeSync expects a Uint8Array (or a string) to write');
    return host.write(fd, buffer as string | Uint8Array);
  }
  function readSync(fd: unknown, buffer: unknown): number {
    if (fd !== 0)
      throw new RangeErrorCtor(`Javy.IO.readSync can only read from fd 0 (stdin), not ${fdText(fd)}`);
    if (!isTypedArray(buffer)) throw new TypeErrorCtor('Javy.IO.readSync expects a Uint8Array to read into');
    return host.read(fd, buffer as Uint8Array);
  }

  hidden('console', consoleObject);
  hidden('Javy', { IO: { readSync, writeSync } });
  hidden('input', host.inputJson === undefined ? undefined : parse(host.inputJson));
  hidden('require', (name: unknown) => {
    recordViolation('require', safeString(name));
    throw new ErrorCtor(`require(${quote(safeString(name))}) is not available in the sandbox`);
  });

  return {
    encode,
    describeError,
    violation: () => firstViolation,
    recordViolation,
  };
}

/**
 * Source text of the guest runtime: a parenthesised function expression taking a
 * {@link GuestHost} and returning a {@link GuestRuntime}.
 */
export const GUEST_PRELUDE_SOURCE = `(${guestPrelude.toString()})`;
