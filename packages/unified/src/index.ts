export * from './backend-choice.js';
export * from './sandbox.js';
