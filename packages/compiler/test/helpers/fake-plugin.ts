// Builds the stand-in engine plugin (test/fixtures/fake-plugin.wat) with jco's wasm-tools parser.
import { readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco';
import { describeEnginePlugin, type EnginePlugin } from '../../src/engine-plugin.js';

let fake: Promise<EnginePlugin> | undefined;

/** The fake plugin: bytecode = the source text; `invoke` prints it to stdout; sources starting with `!` fail. */
export function fakePlugin(): Promise<EnginePlugin> {
  fake ??= parse(readFileSync(new URL('../fixtures/fake-plugin.wat', import.meta.url), 'utf8')).then(
    (bytes: Uint8Array) =>
      describeEnginePlugin(bytes, { path: 'test/fixtures/fake-plugin.wat', quickjsVersion: 'fake' }),
  );
  return fake;
}
