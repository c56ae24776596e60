/*
 * The native `host` object given to core's guest prelude: {write(fd, data), read(fd, buffer),
 * inputJson}. Only the prelude sees it; user code reaches it through console / Javy.IO. The
 * prelude runs once, at pre-initialisation, so `inputJson` is always undefined there: `invoke`
 * hands each request's input to {@link jsbox_set_guest_input} and defines the `input` global.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* The request's input (all of fd 0), served again to Javy.IO.readSync(0, ...). */
static char *input_bytes;
static size_t input_length;
static size_t input_cursor;

void jsbox_release_guest_input(void) {
  free(input_bytes);
  input_bytes = NULL;
  input_length = input_cursor = 0;
}

/* Gets the bytes of a typed array / DataView / ArrayBuffer argument, or NULL with an exception. */
static uint8_t *buffer_bytes(JSContext *ctx, JSValueConst value, size_t *len) {
  size_t offset = 0, byte_length = 0, element = 0;
  JSValue buffer = JS_GetTypedArrayBuffer(ctx, value, &offset, &byte_length, &element);
  if (JS_IsException(buffer)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    size_t whole = 0;
    uint8_t *data = JS_GetArrayBuffer(ctx, &whole, value);
    if (!data) return NULL;
    *len = whole;
    return data;
  }
  size_t whole = 0;
  uint8_t *data = JS_GetArrayBuffer(ctx, &whole, buffer);
  JS_FreeValue(ctx, buffer);
  if (!data) return NULL;
  *len = byte_length;
  return data + offset;
}

static JSValue host_write(JSContext *ctx, JSValueConst this_value, int argc, JSValueConst *argv) {
  (void)this_value;
  int32_t fd = 0;
  if (argc < 2 || JS_ToInt32(ctx, &fd, argv[0]) != 0) return JS_ThrowTypeError(ctx, "write(fd, data) expects two arguments");
  /* Only stdout and stderr: fd 3 is the result channel and belongs to the glue. */
  if (fd != 1 && fd != 2) return JS_ThrowRangeError(ctx, "can only write to fd 1 (stdout) or 2 (stderr), not %d", fd);
  int status;
  size_t len = 0;
  if (JS_IsString(argv[1])) {
    const char *utf8 = JS_ToCStringLen(ctx, &len, argv[1]);
    if (!utf8) return JS_EXCEPTION;
    status = jsbox_output(fd, utf8, len);
    JS_FreeCString(ctx, utf8);
  } else {
    const uint8_t *data = buffer_bytes(ctx, argv[1], &len);
    if (!data) return JS_ThrowTypeError(ctx, "write(fd, data): data must be a string or a Uint8Array");
    status = jsbox_output(fd, data, len);
  }
  if (status != 0) return JS_ThrowInternalError(ctx, "write to fd %d failed (WASI errno %d)", fd, status);
  return JS_NewInt64(ctx, (int64_t)len);
}

static JSValue host_read(JSContext *ctx, JSValueConst this_value, int argc, JSValueConst *argv) {
  (void)this_value;
  int32_t fd = 0;
  if (argc < 2 || JS_ToInt32(ctx, &fd, argv[0]) != 0) return JS_ThrowTypeError(ctx, "read(fd, buffer) expects two arguments");
  if (fd != 0) return JS_ThrowRangeError(ctx, "can only read from fd 0 (stdin), not %d", fd);
  size_t capacity = 0;
  uint8_t *data = buffer_bytes(ctx, argv[1], &capacity);
  if (!data) return JS_ThrowTypeError(ctx, "read(fd, buffer): buffer must be a Uint8Array");
  size_t available = input_length - input_cursor;
  size_t count = capacity < available ? capacity : available;
  if (count > 0) memcpy(data, input_bytes + input_cursor, count);
  input_cursor += count;
  return JS_NewInt64(ctx, (int64_t)count);
}

void jsbox_set_guest_input(char *input, size_t input_len) {
  jsbox_release_guest_input();
  input_bytes = input;
  input_length = input ? input_len : 0;
  input_cursor = 0;
}

JSValue jsbox_new_guest_host(JSContext *ctx) {
  JSValue host = JS_NewObject(ctx);
  if (JS_IsException(host)) return host;
  JS_SetPropertyStr(ctx, host, "write", JS_NewCFunction(ctx, host_write, "write", 2));
  JS_SetPropertyStr(ctx, host, "read", JS_NewCFunction(ctx, host_read, "read", 2));
  JS_SetPropertyStr(ctx, host, "inputJson", JS_UNDEFINED);
  return host;
}
