/** Version of wasmtime whose C API library this package holds. */
export declare const wasmtimeVersion: '49.0.0';
/** sha256 (hex) of `lib/libwasmtime.so`, pinned; the runtime refuses a library that does not match. */
export declare const librarySha256: string;
/** Absolute path of the shared library (present after this package's build script ran). */
export declare const libraryPath: string;
