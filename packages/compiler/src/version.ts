/** This package's version, recorded in the `producers` section and in cache keys. */
export const COMPILER_VERSION = '0.1.0';
