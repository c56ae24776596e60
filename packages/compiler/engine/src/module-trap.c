/*
 * There are no modules in the sandbox. A dynamic `import()` reaches QuickJS's module loader,
 * which we replace so that the attempt is recorded as a violation (kind "import", target = the
 * specifier exactly as written) and the import promise rejects.
 */
#include <string.h>

#include "engine.h"

/* Keep the specifier as written: the default normaliser would resolve "./x" against "main.js". */
static char *keep_specifier(JSContext *ctx, const char *base_name, const char *module_name, void *opaque) {
  (void)base_name;
  (void)opaque;
  return js_strdup(ctx, module_name);
}

static JSModuleDef *refuse_module(JSContext *ctx, const char *module_name, void *opaque) {
  (void)opaque;
  if (!JS_IsUndefined(jsbox.guest)) {
    JSValue record = JS_GetPropertyStr(ctx, jsbox.guest, "recordViolation");
    JSValue args[2] = {JS_NewString(ctx, "import"), JS_NewString(ctx, module_name)};
    JSValue ignored = JS_Call(ctx, record, JS_UNDEFINED, 2, args);
    /* Recording can only fail for lack of memory; the rejection below still happens. */
    if (JS_IsException(ignored)) JS_FreeValue(ctx, JS_GetException(ctx));
    JS_FreeValue(ctx, ignored);
    JS_FreeValue(ctx, args[0]);
    JS_FreeValue(ctx, args[1]);
    JS_FreeValue(ctx, record);
  }
  JS_ThrowTypeError(ctx, "import(\"%s\") is not available in the sandbox: there are no modules", module_name);
  return NULL;
}

void jsbox_install_module_trap(JSRuntime *rt) {
  JS_SetModuleLoaderFunc(rt, keep_specifier, refuse_module, NULL);
}
