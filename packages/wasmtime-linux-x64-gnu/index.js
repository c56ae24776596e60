import { fileURLToPath } from 'node:url';

/** Version of wasmtime whose C API library this package holds. */
export const wasmtimeVersion = '49.0.0';

/** sha256 (hex) of `lib/libwasmtime.so`, pinned; the runtime refuses a library that does not match. */
export const librarySha256 = '9594714d3c73c3087ab3d42d9614cf72973b25c181b8625ffcc46a8a75972d7e';

/** Absolute path of the shared library (present after this package's build script ran). */
export const libraryPath = fileURLToPath(new URL('./lib/libwasmtime.so', import.meta.url));
