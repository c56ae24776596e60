export {
  createQuickjsBackend,
  DEFAULT_HARD_DEADLINE_GRACE_MS,
  QUICKJS_ENGINE,
  type QuickjsBackendOptions,
} from './quickjs-backend.js';
