import packageJson from '../package.json' with { type: 'json' };

/** This package's version, recorded in the `producers` section and in cache keys. */
export const COMPILER_VERSION: string = packageJson.version;
