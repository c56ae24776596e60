/**
 * Backends the end-to-end tests run against: the same rule as unified's suites (every backend
 * available here, or `JSBOX_TEST_BACKENDS`; on CI a missing backend fails instead of skipping).
 */
export { testBackends } from '../../../unified/test/helpers/backends.js';
