/*
 * Shared state and entry points of the jsbox engine plugin (QuickJS on wasm32-wasi).
 *
 * The plugin is a WASI reactor that wizer pre-initialises: everything created by
 * `initialize-runtime` (runtime, context, compiled prelude) lives in the snapshot, so it must
 * not hold anything that has to differ between executions (see `random-seed.c`).
 * The ABI these files implement is summarised in ../README.md (section "ABI").
 */
#ifndef JSBOX_ENGINE_H
#define JSBOX_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "quickjs.h"

/* Defaults that apply when the host never calls `jsbox-configure` (e.g. the wasmtime CLI). */
#define JSBOX_DEFAULT_MEMORY_LIMIT_BYTES (128u * 1024u * 1024u)
#define JSBOX_DEFAULT_MAX_STACK_BYTES (512u * 1024u)
#define JSBOX_DEFAULT_MAX_RESULT_BYTES (1024u * 1024u)

/*
 * The wasm stack is set at link time (build.mjs passes the same number as -DJSBOX_WASM_STACK_BYTES).
 * QuickJS may use at most three quarters of it: the rest is headroom for the C frames that run
 * between two of QuickJS's stack checks, so deep recursion is a catchable error, never a wasm trap.
 */
#ifndef JSBOX_WASM_STACK_BYTES
#error "JSBOX_WASM_STACK_BYTES must be defined by the build"
#endif
#define JSBOX_MAX_JS_STACK_BYTES (JSBOX_WASM_STACK_BYTES / 4u * 3u)

/* Extra QuickJS heap granted only while the outcome is being described, after user code ended. */
#define JSBOX_REPORT_RESERVE_BYTES (1024u * 1024u)

/* File name used in stacks when the host does not give one (`compile-src`). */
#define JSBOX_DEFAULT_FILENAME "main.js"

/** The limits in force, as set by `jsbox-configure` (or the defaults). */
typedef struct jsbox_limits {
  uint32_t memory_limit_bytes;
  uint32_t max_stack_bytes;
  uint32_t max_result_bytes;
} jsbox_limits;

/** The single runtime/context pair of this plugin instance. */
typedef struct jsbox_engine {
  JSRuntime *runtime;
  JSContext *context;
  /* The GuestRuntime hooks the prelude (core's GUEST_PRELUDE_SOURCE) returned when it ran at
     pre-initialisation: console, Javy.IO, input and require are already in the snapshot. */
  JSValue guest;
  jsbox_limits limits;
  int initialized;
} jsbox_engine;

extern jsbox_engine jsbox;

/* runtime-init.c */
void jsbox_ensure_initialized(void);
void jsbox_apply_limits(void);

/* memory-accounting.c */
extern const JSMallocFunctions jsbox_malloc_functions;
/** Allocations QuickJS was refused (memory limit reached or wasm memory exhausted). */
extern uint32_t jsbox_refused_allocations;

/* random-seed.c */
void jsbox_install_math_random(JSContext *ctx);
void jsbox_reseed_math_random(void);

/* module-trap.c */
void jsbox_install_module_trap(JSRuntime *rt);

/* output-capture.c */
/** Writes guest output (fd 1, 2) or the outcome document (fd 3): captured in memory when the host
    asked for it, else straight to the fd. 0 on success or the WASI errno of the failure. */
int jsbox_output(int fd, const void *data, size_t len);

/* runtime-init.c: the `jsbox-configure` export */
void jsbox_configure(uint32_t memory_limit_bytes, uint32_t max_stack_bytes, uint32_t max_result_bytes);

/* wasi-io.c */
/** Writes all of `len` bytes to `fd`; returns 0 on success or the WASI errno of the failure. */
int jsbox_write_all(int fd, const void *data, size_t len);
/** Reads fd until end of file; returns a malloc'd buffer (NUL-terminated) and its length in *len. */
char *jsbox_read_all(int fd, size_t *len);

/* text-buffer.c: a growable byte buffer for building JSON documents */
typedef struct jsbox_text {
  char *data;
  size_t len;
  size_t cap;
  int failed;
} jsbox_text;
void jsbox_text_append(jsbox_text *text, const char *data, size_t len);
void jsbox_text_append_str(jsbox_text *text, const char *str);
void jsbox_text_append_js(jsbox_text *text, JSContext *ctx, JSValueConst value);
void jsbox_text_free(jsbox_text *text);

/* error-json.c */
/**
 * Describes a thrown value as JSON text {"name","message","stack"?,"line"?,"column"?} without
 * the prelude (compile errors, or when the prelude itself failed). Returns a JS string value or
 * JS_EXCEPTION.
 */
JSValue jsbox_describe_error_natively(JSContext *ctx, JSValueConst error, const char *filename);
/** True when `error` is QuickJS's own out-of-memory InternalError. */
int jsbox_is_out_of_memory(JSContext *ctx, JSValueConst error);

/* guest-host.c */
/** Builds the host object {write, read, inputJson: undefined} handed to the prelude at init. */
JSValue jsbox_new_guest_host(JSContext *ctx);
/** Makes `input` (all of fd 0, malloc'd; ownership taken) what Javy.IO.readSync(0) serves. */
void jsbox_set_guest_input(char *input, size_t input_len);
void jsbox_release_guest_input(void);

/* outcome.c */
/** Writes the outcome document to fd 3, or reports to stderr and traps when there is no fd 3. */
void jsbox_emit_outcome(const jsbox_text *outcome, const char *console_text, int is_value);

#endif
