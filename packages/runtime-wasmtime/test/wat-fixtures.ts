/** WebAssembly text modules for the FFI-level tests (WASI preview1 commands). */

const FD_WRITE =
  '(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))';
const PROC_EXIT = '(import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))';

/** Writes `text` to `fd` once (iovec at 0, nwritten at 8, text at 16), then exits normally. */
export function writeOnce(fd: number, text: string): string {
  return `(module ${FD_WRITE}
    (memory (export "memory") 1)
    (data (i32.const 16) "${text.replace(/["\\]/g, (character) => `\\${character}`)}")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const ${Buffer.byteLength(text)}))
      (drop (call $fd_write (i32.const ${fd}) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
}

/** Spins forever. */
export const INFINITE_LOOP = `(module (memory (export "memory") 1)
  (func (export "_start") (loop $again (br $again))))`;

/** Writes 1 KiB to stdout forever. */
export const OUTPUT_FLOOD = `(module ${FD_WRITE}
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 1024))
    (loop $again (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))) (br $again))))`;

/** Grows memory one page at a time until it fails; exits with 3 when growth failed. */
export const GROW_UNTIL_FAILURE = `(module ${PROC_EXIT}
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $again
      (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (br $again))))
    (call $proc_exit (i32.const 3))))`;

/** Recurses without end (wasm stack overflow). */
export const DEEP_RECURSION = `(module (memory (export "memory") 1)
  (func $down (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1))))
  (func (export "_start") (drop (call $down (i32.const 0)))))`;

/** Executes \`unreachable\`. */
export const UNREACHABLE = `(module (memory (export "memory") 1) (func (export "_start") unreachable))`;

/** A loop of \`iterations\` additions: for fuel accounting. */
export function countedLoop(iterations: number): string {
  return `(module (memory (export "memory") 1)
    (func (export "_start") (local $i i32)
      (loop $again
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $again (i32.lt_u (local.get $i) (i32.const ${iterations}))))))`;
}
