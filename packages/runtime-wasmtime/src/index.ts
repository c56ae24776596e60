export {
  checkWasmtimeAvailability,
  type WasmtimeAvailability,
  type WasmtimeAvailabilityOptions,
} from './availability.js';
export type { WasmtimeBackendOptions } from './backend/backend-options.js';
export { createWasmtimeBackend } from './backend/wasmtime-backend.js';
export { type LibraryLocationOptions, PLATFORM_PACKAGE, WASMTIME_VERSION } from './library-location.js';
export { ModuleRejectedError } from './module-rejected-error.js';
export { type RunModuleOptions, type RunModuleResult, runModule } from './run-module.js';
