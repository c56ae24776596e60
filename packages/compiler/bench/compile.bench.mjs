// Compiler benchmark: compile speed against quickjs-emscripten, module sizes, plugin start-up.
// Run: pnpm --filter @jsbox/compiler build && pnpm --filter @jsbox/compiler bench
import { randomFillSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getQuickJS } from 'quickjs-emscripten';
import { Bench } from 'tinybench';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('bench: dist/ is missing; run `pnpm --filter @jsbox/compiler build` first');
  process.exit(1);
}
const { compile, compileToBytecode, getEnginePlugin } = await import(dist.href);

const KiB = 1024;
const plugin = getEnginePlugin();

/** A realistic-looking program of about `bytes` bytes: functions, objects, loops, strings. */
function program(bytes) {
  const parts = [];
  for (let index = 0; parts.join('\n').length < bytes; index++) {
    parts.push(
      `function step${index}(items, factor) {\n` +
        `  const out = [];\n` +
        `  for (const item of items) {\n` +
        `    if (item.value % ${index + 2} === 0) out.push({ id: item.id, value: item.value * factor, tag: "t${index}" });\n` +
        `    else out.push({ ...item, seen: true });\n` +
        `  }\n` +
        `  return out.filter((entry) => entry.value > ${index}).map((entry) => JSON.stringify(entry)).join(",");\n` +
        `}`,
    );
  }
  parts.push('step0([{ id: 1, value: 2 }], 3)');
  return parts.join('\n');
}

const sources = [
  ['hello world', 'console.log("hello world")'],
  ['1 KB', program(1 * KiB)],
  ['10 KB', program(10 * KiB)],
  ['90 KB', program(90 * KiB)],
];

const QuickJS = await getQuickJS();
const vm = QuickJS.newContext();
compileToBytecode('1'); // instantiate the shared compile instance outside the timings

const bench = new Bench({ time: 300, warmupTime: 100 });
for (const [name, source] of sources) {
  bench.add(`jsbox bytecode   ${name}`, () => {
    compileToBytecode(source);
  });
  bench.add(`jsbox dynamic    ${name}`, async () => {
    await compile(source, { cache: false });
  });
  bench.add(`quickjs-emscripten compileOnly ${name}`, () => {
    const result = vm.evalCode(source, 'main.js', { compileOnly: true });
    if (result.error) {
      result.error.dispose();
      throw new Error('quickjs-emscripten failed to compile');
    }
    result.value.dispose();
  });
}
await bench.run();

const sizeOf = new Map(sources.map(([name, source]) => [name, Buffer.byteLength(source)]));
console.log('\nCompile time (mean; per KB of source)');
console.log('| task | source bytes | mean ms | ms per KB |');
console.log('| --- | ---: | ---: | ---: |');
for (const task of bench.tasks) {
  const name = task.name.replace(/^.* (hello world|\d+ KB)$/, '$1');
  const bytes = sizeOf.get(name) ?? 0;
  const mean = task.result?.latency?.mean ?? task.result?.mean ?? Number.NaN;
  console.log(`| ${task.name} | ${bytes} | ${mean.toFixed(3)} | ${((mean / bytes) * KiB).toFixed(3)} |`);
}
vm.dispose();

const hello = 'console.log("hello world")';
const dynamic = await compile(hello, { cache: false });
const staticModule = await compile(hello, { format: 'static', cache: false });
let component;
try {
  component = await compile(hello, { format: 'component', cache: false });
} catch (error) {
  component = undefined;
  console.error(`(component row skipped: ${error.message})`);
}
console.log('\nSizes (bytes)');
console.log('| artifact | bytes |');
console.log('| --- | ---: |');
console.log(`| engine plugin (pre-initialised) | ${plugin.bytes.length} |`);
console.log(`| hello world bytecode | ${dynamic.sizes.bytecode} |`);
console.log(`| hello world dynamic module | ${dynamic.sizes.module} |`);
console.log(`| hello world static module | ${staticModule.sizes.module} |`);
if (component) console.log(`| hello world component | ${component.sizes.module} |`);

// Start-up: instantiate the pre-initialised plugin vs a raw (non-wizered) build + its init.
function wasiStub(getMemory) {
  const names = ['fd_write', 'fd_read', 'fd_close', 'fd_seek', 'clock_time_get', 'random_get', 'proc_exit'];
  const wasi = Object.fromEntries(names.map((name) => [name, () => 0]));
  wasi.random_get = (pointer, length) => {
    randomFillSync(new Uint8Array(getMemory().buffer, pointer, length));
    return 0;
  };
  wasi.clock_time_get = (_id, _precision, pointer) => {
    new DataView(getMemory().buffer).setBigUint64(pointer, BigInt(Date.now()) * 1_000_000n, true);
    return 0;
  };
  wasi.fd_write = (_fd, iovs, count, writtenPointer) => {
    const view = new DataView(getMemory().buffer);
    let written = 0;
    for (let index = 0; index < count; index++) written += view.getUint32(iovs + index * 8 + 4, true);
    view.setUint32(writtenPointer, written, true);
    return 0;
  };
  return wasi;
}
function instantiate(module) {
  let memory;
  const wasi = wasiStub(() => memory);
  const wanted = WebAssembly.Module.imports(module).filter(
    (entry) => entry.module === 'wasi_snapshot_preview1',
  );
  const imports = Object.fromEntries(wanted.map((entry) => [entry.name, wasi[entry.name] ?? (() => 52)]));
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory;
  return instance;
}
const rawCandidates = [
  new URL('../plugin/jsbox-engine.raw.wasm', import.meta.url),
  new URL('../engine/.cache/build/jsbox-engine.raw.wasm', import.meta.url),
];
const rawUrl = rawCandidates.find((candidate) => existsSync(candidate));
const preinitialised = new WebAssembly.Module(plugin.bytes);
const startup = new Bench({ time: 500, warmupTime: 100 });
startup.add('instantiate pre-initialised plugin', () => {
  instantiate(preinitialised);
});
if (rawUrl) {
  const raw = new WebAssembly.Module(readFileSync(rawUrl));
  startup.add('instantiate raw plugin + initialize-runtime', () => {
    const instance = instantiate(raw);
    instance.exports._initialize?.();
    instance.exports['initialize-runtime']();
  });
}
const moduleCompileStarted = performance.now();
new WebAssembly.Module(plugin.bytes);
const moduleCompileMs = performance.now() - moduleCompileStarted;
await startup.run();
console.log('\nPlugin start-up (mean ms)');
console.log('| task | mean ms |');
console.log('| --- | ---: |');
console.log(`| WebAssembly.Module(plugin) compile, once per process | ${moduleCompileMs.toFixed(2)} |`);
for (const task of startup.tasks) {
  const mean = task.result?.latency?.mean ?? task.result?.mean ?? Number.NaN;
  console.log(`| ${task.name} | ${mean.toFixed(3)} |`);
}
if (!rawUrl) console.log('(no raw plugin build found; cold start-up row skipped)');
console.log(
  `\nnode ${process.version}; plugin ${fileURLToPath(new URL(`file://${plugin.path}`))} sha256 ${plugin.sha256.slice(0, 12)}`,
);
