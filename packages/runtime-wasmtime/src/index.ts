export { createWasmtimeBackend } from './backend/wasmtime-backend.js';
export type { WasmtimeBackendOptions } from './backend/backend-options.js';
export { checkWasmtimeAvailability, type WasmtimeAvailability } from './availability.js';
export { runModule, type RunModuleOptions, type RunModuleResult } from './run-module.js';
export { WASMTIME_VERSION, PLATFORM_PACKAGE, type LibraryLocationOptions } from './library-location.js';
export { ModuleRejectedError } from './module-rejected-error.js';
