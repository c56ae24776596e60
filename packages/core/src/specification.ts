/**
 * Version of the backend contract defined by this package. A backend declares the version it
 * implements; `@jsbox/unified` refuses a backend built for another version, loudly.
 */
export const SPECIFICATION_VERSION = 'v1' as const;

/** The contract version type, `'v1'` today. */
export type SpecificationVersion = typeof SPECIFICATION_VERSION;
