/*
 * The compile side of the plugin ABI: `cabi_realloc`, `compile-src` (Javy's export) and
 * `jsbox-compile` (the same with a file name and a structured error).
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

enum { COMPILE_OK = 0, COMPILE_ERROR = 1 };

/* [tag u32, ptr u32, len u32], read by the host right after the call returns. */
static uint32_t return_area[3];
/* The payload of the previous compile: freed on the next one so repeated compiles don't leak. */
static void *last_payload;

/* Canonical-ABI style allocator; the host calls it as (0, 0, 1, len) to get a buffer. */
__attribute__((export_name("cabi_realloc"))) void *jsbox_cabi_realloc(void *original, size_t original_size,
                                                                     size_t alignment, size_t new_size) {
  (void)original_size;
  /* malloc's 16-byte alignment covers every alignment the host asks for. */
  if (new_size == 0) return (void *)alignment;
  void *result = realloc(original, new_size);
  if (!result) __builtin_trap(); /* the host cannot recover from a failed allocation anyway */
  return result;
}

static uint32_t *finish(uint32_t tag, void *payload, size_t len) {
  free(last_payload);
  last_payload = payload;
  return_area[0] = tag;
  return_area[1] = (uint32_t)(uintptr_t)payload;
  return_area[2] = (uint32_t)len;
  return return_area;
}

static uint32_t *fail_with_text(const char *message) {
  size_t len = strlen(message);
  char *copy = malloc(len + 1);
  if (!copy) __builtin_trap();
  memcpy(copy, message, len + 1);
  return finish(COMPILE_ERROR, copy, len);
}

/* Appends error.<name> when it is a string; returns whether it was. */
static int append_string_property(jsbox_text *text, JSContext *ctx, JSValueConst error, const char *name) {
  JSValue value = JS_GetPropertyStr(ctx, error, name);
  int is_string = JS_IsString(value);
  if (is_string) jsbox_text_append_js(text, ctx, value);
  if (JS_IsException(value)) JS_FreeValue(ctx, JS_GetException(ctx));
  JS_FreeValue(ctx, value);
  return is_string;
}

/* Error payload: JSON for jsbox-compile, "Name: message\n<stack>" text for Javy's compile-src. */
static uint32_t *fail_with_exception(JSContext *ctx, const char *filename, int as_json) {
  JSValue error = JS_GetException(ctx);
  jsbox_text text = {0};
  if (as_json) {
    JSValue described = jsbox_describe_error_natively(ctx, error, filename);
    if (JS_IsException(described)) {
      JS_FreeValue(ctx, JS_GetException(ctx));
      text.failed = 1;
    } else {
      jsbox_text_append_js(&text, ctx, described);
    }
    JS_FreeValue(ctx, described);
  } else {
    if (!append_string_property(&text, ctx, error, "name")) jsbox_text_append_str(&text, "Error");
    jsbox_text_append_str(&text, ": ");
    append_string_property(&text, ctx, error, "message");
    jsbox_text_append_str(&text, "\n");
    append_string_property(&text, ctx, error, "stack");
  }
  JS_FreeValue(ctx, error);
  if (text.failed || !text.data) {
    jsbox_text_free(&text);
    return fail_with_text(as_json ? "{\"name\":\"InternalError\",\"message\":\"out of memory\"}"
                                  : "InternalError: out of memory");
  }
  return finish(COMPILE_ERROR, text.data, text.len);
}

static uint32_t *compile(const char *source, size_t source_len, const char *filename, int json_errors) {
  jsbox_ensure_initialized();
  JSContext *ctx = jsbox.context;
  JS_UpdateStackTop(jsbox.runtime);
  /* JS_Eval needs a NUL after the source; the host's buffer has none. */
  char *terminated = malloc(source_len + 1);
  if (!terminated) return fail_with_text("InternalError: out of memory");
  memcpy(terminated, source, source_len);
  terminated[source_len] = '\0';
  /* A global script (like Javy), with top-level await allowed: evaluation then yields a promise
     of {value: <completion value>} (QuickJS 2025-04-26, js_parse_program). */
  JSValue function = JS_Eval(ctx, terminated, source_len, filename,
                             JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_COMPILE_ONLY | JS_EVAL_FLAG_ASYNC);
  free(terminated);
  if (JS_IsException(function)) return fail_with_exception(ctx, filename, json_errors);
  size_t size = 0;
  uint8_t *bytecode = JS_WriteObject(ctx, &size, function, JS_WRITE_OBJ_BYTECODE);
  JS_FreeValue(ctx, function);
  if (!bytecode) return fail_with_exception(ctx, filename, json_errors);
  /* Copy out of QuickJS's allocator so the payload is freed with plain free() later. */
  uint8_t *payload = malloc(size ? size : 1);
  if (!payload) {
    js_free(ctx, bytecode);
    return fail_with_text("InternalError: out of memory");
  }
  memcpy(payload, bytecode, size);
  js_free(ctx, bytecode);
  return finish(COMPILE_OK, payload, size);
}

__attribute__((export_name("compile-src"))) uint32_t *jsbox_compile_src(const char *source, size_t source_len) {
  return compile(source, source_len, JSBOX_DEFAULT_FILENAME, 0);
}

__attribute__((export_name("jsbox-compile"))) uint32_t *jsbox_compile(const char *source, size_t source_len,
                                                                      const char *name, size_t name_len) {
  char *filename = malloc(name_len + 1);
  if (!filename) return fail_with_text("{\"name\":\"InternalError\",\"message\":\"out of memory\"}");
  memcpy(filename, name, name_len);
  filename[name_len] = '\0';
  uint32_t *result = compile(source, source_len, name_len ? filename : JSBOX_DEFAULT_FILENAME, 1);
  free(filename);
  return result;
}
