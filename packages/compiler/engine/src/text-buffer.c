/* A growable byte buffer for the JSON documents the glue assembles (outcomes, error JSON). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

void jsbox_text_append(jsbox_text *text, const char *data, size_t len) {
  if (text->failed) return;
  if (text->len + len + 1 > text->cap) {
    size_t cap = text->cap ? text->cap : 256;
    while (cap < text->len + len + 1) cap *= 2;
    char *grown = realloc(text->data, cap);
    if (!grown) {
      /* Remember the failure instead of half-writing: callers check `failed` once at the end. */
      text->failed = 1;
      return;
    }
    text->data = grown;
    text->cap = cap;
  }
  memcpy(text->data + text->len, data, len);
  text->len += len;
  text->data[text->len] = '\0';
}

void jsbox_text_append_str(jsbox_text *text, const char *str) {
  jsbox_text_append(text, str, strlen(str));
}

/* Appends a JS string value's UTF-8 (used for JSON texts the prelude already produced). */
void jsbox_text_append_js(jsbox_text *text, JSContext *ctx, JSValueConst value) {
  size_t len = 0;
  const char *utf8 = JS_ToCStringLen(ctx, &len, value);
  if (!utf8) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    text->failed = 1;
    return;
  }
  jsbox_text_append(text, utf8, len);
  JS_FreeCString(ctx, utf8);
}

void jsbox_text_free(jsbox_text *text) {
  free(text->data);
  text->data = NULL;
  text->len = text->cap = 0;
}
