/*
 * Describing errors without the prelude: compile errors (there is no guest runtime at compile
 * time) and the rare run failures that happen before or inside the prelude itself. The JSON is
 * produced by JSON.stringify on a fresh plain object, so lone surrogates and control characters
 * in messages are escaped correctly.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Finds "<filename>:<line>:<column>" in a QuickJS stack ("    at main.js:3:7"). */
static int find_location(const char *stack, const char *filename, int *line, int *column) {
  size_t name_len = strlen(filename);
  for (const char *hit = strstr(stack, filename); hit; hit = strstr(hit + 1, filename)) {
    const char *cursor = hit + name_len;
    if (*cursor != ':') continue;
    char *end = NULL;
    long parsed_line = strtol(cursor + 1, &end, 10);
    if (end == cursor + 1 || *end != ':') continue;
    const char *column_start = end + 1;
    long parsed_column = strtol(column_start, &end, 10);
    if (end == column_start) continue;
    *line = (int)parsed_line;
    *column = (int)parsed_column;
    return 1;
  }
  return 0;
}

static void copy_string_property(JSContext *ctx, JSValueConst from, JSValueConst to, const char *name,
                                 const char *fallback) {
  JSValue value = JS_GetPropertyStr(ctx, from, name);
  if (JS_IsException(value)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    value = JS_UNDEFINED;
  }
  if (JS_IsString(value)) {
    JS_SetPropertyStr(ctx, to, name, value);
    return;
  }
  JS_FreeValue(ctx, value);
  if (fallback) JS_SetPropertyStr(ctx, to, name, JS_NewString(ctx, fallback));
}

JSValue jsbox_describe_error_natively(JSContext *ctx, JSValueConst error, const char *filename) {
  JSValue described = JS_NewObject(ctx);
  if (JS_IsException(described)) return described;
  if (JS_IsObject(error)) {
    copy_string_property(ctx, error, described, "name", "Error");
    copy_string_property(ctx, error, described, "message", "");
    copy_string_property(ctx, error, described, "stack", NULL);
  } else {
    /* A thrown primitive: same wording as the prelude's describeError. */
    JS_SetPropertyStr(ctx, described, "name", JS_NewString(ctx, "Error"));
    JSValue text = JS_ToString(ctx, error);
    if (JS_IsException(text)) {
      JS_FreeValue(ctx, JS_GetException(ctx));
      text = JS_NewString(ctx, "?");
    }
    const char *utf8 = JS_ToCString(ctx, text);
    jsbox_text message = {0};
    jsbox_text_append_str(&message, "Uncaught ");
    jsbox_text_append_str(&message, utf8 ? utf8 : "?");
    JS_SetPropertyStr(ctx, described, "message",
                      JS_NewString(ctx, message.failed ? "Uncaught exception" : message.data));
    jsbox_text_free(&message);
    if (utf8) JS_FreeCString(ctx, utf8);
    JS_FreeValue(ctx, text);
  }
  JSValue stack = JS_GetPropertyStr(ctx, described, "stack");
  if (JS_IsString(stack)) {
    const char *utf8 = JS_ToCString(ctx, stack);
    int line = 0, column = 0;
    if (utf8 && find_location(utf8, filename, &line, &column)) {
      JS_SetPropertyStr(ctx, described, "line", JS_NewInt32(ctx, line));
      JS_SetPropertyStr(ctx, described, "column", JS_NewInt32(ctx, column));
    }
    if (utf8) JS_FreeCString(ctx, utf8);
  }
  JS_FreeValue(ctx, stack);
  JSValue json = JS_JSONStringify(ctx, described, JS_UNDEFINED, JS_UNDEFINED);
  JS_FreeValue(ctx, described);
  return json;
}

int jsbox_is_out_of_memory(JSContext *ctx, JSValueConst error) {
  if (!JS_IsError(ctx, error)) return 0;
  JSValue message = JS_GetPropertyStr(ctx, error, "message");
  int result = 0;
  if (JS_IsString(message)) {
    const char *utf8 = JS_ToCString(ctx, message);
    result = utf8 && strcmp(utf8, "out of memory") == 0;
    if (utf8) JS_FreeCString(ctx, utf8);
  } else if (JS_IsException(message)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
  }
  JS_FreeValue(ctx, message);
  return result;
}
