/*
 * `invoke`: run one compiled program in this (fresh) plugin instance and report how it ended
 * as one outcome document on fd 3. See outcome.c for the document and the no-fd-3 fallback.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef enum { RUN_VALUE, RUN_ERROR, RUN_PENDING } run_state;

/* How user code ended: a value, a thrown/rejected value, or a promise nobody settled. */
typedef struct run_result {
  run_state state;
  JSValue value; /* the value or the error; JS_UNDEFINED when pending */
} run_result;

static run_result threw(JSContext *ctx) {
  return (run_result){RUN_ERROR, JS_GetException(ctx)};
}

/*
 * Runs promise jobs until none are left. The sandbox has no timers or I/O, so once the queue is
 * empty nothing can ever settle a still-pending promise. A job only fails for reasons outside
 * promise semantics (e.g. out of memory while queueing); the first such error is kept.
 */
static void drain_jobs(JSValue *job_error) {
  for (;;) {
    JSContext *job_context = NULL;
    int status = JS_ExecutePendingJob(jsbox.runtime, &job_context);
    if (status == 0) return;
    if (status < 0) {
      JSValue error = JS_GetException(jsbox.context);
      if (JS_IsUndefined(*job_error)) {
        *job_error = error;
      } else {
        JS_FreeValue(jsbox.context, error);
      }
    }
  }
}

/* Drains the job queue and reads the promise's final state. Takes ownership of `promise`. */
static run_result await_promise(JSContext *ctx, JSValue promise, JSValue *job_error) {
  drain_jobs(job_error);
  run_result result = {RUN_PENDING, JS_UNDEFINED};
  switch (JS_PromiseState(ctx, promise)) {
    case JS_PROMISE_FULFILLED:
      result = (run_result){RUN_VALUE, JS_PromiseResult(ctx, promise)};
      break;
    case JS_PROMISE_REJECTED:
      result = (run_result){RUN_ERROR, JS_PromiseResult(ctx, promise)};
      break;
    default:
      if (!JS_IsUndefined(*job_error)) {
        result = (run_result){RUN_ERROR, *job_error};
        *job_error = JS_UNDEFINED;
      }
      break;
  }
  JS_FreeValue(ctx, promise);
  return result;
}

/*
 * If the program's value is an object it may be a promise or a thenable: resolve a fresh
 * promise with it (the spec's promise resolve functions adopt thenables, and a throwing `then`
 * getter becomes a rejection), then wait for that. Takes ownership of `value`.
 */
static run_result settle_value(JSContext *ctx, JSValue value, JSValue *job_error) {
  if (!JS_IsObject(value)) return (run_result){RUN_VALUE, value};
  JSValue resolving[2];
  JSValue promise = JS_NewPromiseCapability(ctx, resolving);
  if (JS_IsException(promise)) {
    JS_FreeValue(ctx, value);
    return threw(ctx);
  }
  JSValue ignored = JS_Call(ctx, resolving[0], JS_UNDEFINED, 1, (JSValueConst *)&value);
  JS_FreeValue(ctx, value);
  JS_FreeValue(ctx, resolving[0]);
  JS_FreeValue(ctx, resolving[1]);
  if (JS_IsException(ignored)) {
    JS_FreeValue(ctx, promise);
    return threw(ctx);
  }
  JS_FreeValue(ctx, ignored);
  return await_promise(ctx, promise, job_error);
}

/* Evaluates the bytecode: the top level, then (fn_tag 1) the named global function. */
static run_result run_program(JSContext *ctx, const uint8_t *bytecode, size_t bytecode_len, uint32_t fn_tag,
                              const char *fn_name, size_t fn_name_len, JSValue *job_error) {
  JSValue function = JS_ReadObject(ctx, bytecode, bytecode_len, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(function)) return threw(ctx);
  JSValue completion = JS_EvalFunction(ctx, function);
  if (JS_IsException(completion)) return threw(ctx);
  run_result result;
  if ((int)JS_PromiseState(ctx, completion) >= 0) {
    /* Compiled with JS_EVAL_FLAG_ASYNC: a promise of {value: <completion value>}. */
    result = await_promise(ctx, completion, job_error);
    if (result.state != RUN_VALUE) return result;
    JSValue wrapper = result.value;
    completion = JS_GetPropertyStr(ctx, wrapper, "value");
    JS_FreeValue(ctx, wrapper);
    if (JS_IsException(completion)) return threw(ctx);
  }
  result = settle_value(ctx, completion, job_error);
  if (fn_tag != 1 || result.state != RUN_VALUE) return result;

  /* Javy's "call an exported function": a global function of that name, awaited like the top level. */
  JS_FreeValue(ctx, result.value);
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom atom = JS_NewAtomLen(ctx, fn_name, fn_name_len);
  JSValue callee = JS_GetProperty(ctx, global, atom);
  JS_FreeAtom(ctx, atom);
  JS_FreeValue(ctx, global);
  if (JS_IsException(callee)) return threw(ctx);
  if (!JS_IsFunction(ctx, callee)) {
    JS_FreeValue(ctx, callee);
    JS_ThrowTypeError(ctx, "%.*s is not a function", (int)fn_name_len, fn_name);
    return threw(ctx);
  }
  JSValue returned = JS_Call(ctx, callee, JS_UNDEFINED, 0, NULL);
  JS_FreeValue(ctx, callee);
  if (JS_IsException(returned)) return threw(ctx);
  return settle_value(ctx, returned, job_error);
}

/* Calls guest[name](...args) and returns its result (or JS_EXCEPTION). */
static JSValue call_guest(JSContext *ctx, const char *name, int argc, JSValueConst *argv) {
  JSValue hook = JS_GetPropertyStr(ctx, jsbox.guest, name);
  if (JS_IsException(hook)) return hook;
  JSValue result = JS_Call(ctx, hook, JS_UNDEFINED, argc, argv);
  JS_FreeValue(ctx, hook);
  return result;
}

static void memory_limit_outcome(jsbox_text *json, jsbox_text *console) {
  static const char message[] = "QuickJS ran out of memory (the memory limit was reached)";
  jsbox_text_append_str(json, "{\"kind\":\"limit\",\"limit\":\"memory\",\"message\":\"");
  jsbox_text_append_str(json, message);
  jsbox_text_append_str(json, "\"}");
  jsbox_text_append_str(console, message);
}

/* Appends "Uncaught Name: message\n<stack>" for the wasmtime CLI fallback. */
static void append_console_error(jsbox_text *console, JSContext *ctx, JSValueConst described_json) {
  size_t len = 0;
  const char *json = JS_ToCStringLen(ctx, &len, described_json);
  JSValue described = json ? JS_ParseJSON(ctx, json, len, "error.json") : JS_EXCEPTION;
  if (json) JS_FreeCString(ctx, json);
  if (JS_IsException(described)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    jsbox_text_append_str(console, "Uncaught exception");
    return;
  }
  JSValue name = JS_GetPropertyStr(ctx, described, "name");
  JSValue message = JS_GetPropertyStr(ctx, described, "message");
  JSValue stack = JS_GetPropertyStr(ctx, described, "stack");
  jsbox_text_append_str(console, "Uncaught ");
  jsbox_text_append_js(console, ctx, name);
  jsbox_text_append_str(console, ": ");
  jsbox_text_append_js(console, ctx, message);
  if (JS_IsString(stack)) {
    jsbox_text_append_str(console, "\n");
    jsbox_text_append_js(console, ctx, stack);
  }
  JS_FreeValue(ctx, name);
  JS_FreeValue(ctx, message);
  JS_FreeValue(ctx, stack);
  JS_FreeValue(ctx, described);
}

/* Exception outcome for `error`, described by the prelude when it is there, natively if not. */
static void exception_outcome(jsbox_text *json, jsbox_text *console, JSContext *ctx, JSValueConst error) {
  JSValue described = JS_IsUndefined(jsbox.guest) ? jsbox_describe_error_natively(ctx, error, JSBOX_DEFAULT_FILENAME)
                                                  : call_guest(ctx, "describeError", 1, &error);
  if (JS_IsException(described) || !JS_IsString(described)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    JS_FreeValue(ctx, described);
    memory_limit_outcome(json, console);
    return;
  }
  if (jsbox_is_out_of_memory(ctx, error) && JS_IsUndefined(jsbox.guest)) {
    /* Out of memory before user code ran (creating the guest runtime): outside the user's reach. */
    JS_FreeValue(ctx, described);
    memory_limit_outcome(json, console);
    return;
  }
  jsbox_text_append_str(json, "{\"kind\":\"exception\",\"phase\":\"run\",\"error\":");
  jsbox_text_append_js(json, ctx, described);
  jsbox_text_append_str(json, "}");
  append_console_error(console, ctx, described);
  JS_FreeValue(ctx, described);
}

/* Appends `text` when it fits the result budget (the prelude's `encode` measures the same way). */
static int append_within_budget(jsbox_text *out, const char *text, size_t len) {
  if (len > jsbox.limits.max_result_bytes) return 0;
  jsbox_text_append(out, text, len);
  return 1;
}

/* JSON.stringify of a string, number, boolean or null (the native one, which user code cannot replace). */
static int append_json_of(jsbox_text *out, JSContext *ctx, JSValueConst value) {
  JSValue text = JS_JSONStringify(ctx, value, JS_UNDEFINED, JS_UNDEFINED);
  if (JS_IsException(text)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    return 0;
  }
  size_t len = 0;
  const char *utf8 = JS_IsString(text) ? JS_ToCStringLen(ctx, &len, text) : NULL;
  /* The prelude counts UTF-16 units; UTF-8 is never shorter, so a text that fits here fits there
     too, and one that does not is left to the prelude to decide. */
  int done = utf8 != NULL && append_within_budget(out, utf8, len);
  if (utf8) JS_FreeCString(ctx, utf8);
  JS_FreeValue(ctx, text);
  return done;
}

/*
 * The prelude's encoding of a primitive, done natively: the same text `encode` produces, without
 * running it (~35 000 fuel even for `null`). Returns 0, appending nothing, for everything else
 * (objects, bigints, symbols) and whenever the budget check is not clear-cut: the prelude decides.
 */
static int encode_primitive(jsbox_text *out, JSContext *ctx, JSValueConst value) {
  static const char undefined_tag[] = "{\"$jsbox\":\"undefined\"}";
  if (JS_IsUndefined(value)) return append_within_budget(out, undefined_tag, sizeof undefined_tag - 1);
  if (JS_IsNull(value) || JS_IsBool(value) || JS_IsString(value)) return append_json_of(out, ctx, value);
  if (!JS_IsNumber(value)) return 0;
  double number = 0;
  if (JS_ToFloat64(ctx, &number, value) != 0) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    return 0;
  }
  const char *special = isnan(number)                    ? "NaN"
                        : isinf(number)                  ? (number > 0 ? "Infinity" : "-Infinity")
                        : number == 0 && signbit(number) ? "-0"
                                                         : NULL;
  if (!special) return append_json_of(out, ctx, value);
  char tag[64];
  int len = snprintf(tag, sizeof tag, "{\"$jsbox\":\"number\",\"value\":\"%s\"}", special);
  return append_within_budget(out, tag, (size_t)len);
}

/* Value outcome: the prelude's encoding, or the output limit when it is too large. */
static void value_outcome(jsbox_text *json, jsbox_text *console, JSContext *ctx, JSValueConst value, int *is_value) {
  jsbox_text primitive = {0};
  if (encode_primitive(&primitive, ctx, value) && !primitive.failed) {
    jsbox_text_append_str(json, "{\"kind\":\"value\",\"value\":");
    jsbox_text_append(json, primitive.data, primitive.len);
    jsbox_text_append_str(json, "}");
    jsbox_text_free(&primitive);
    *is_value = 1;
    return;
  }
  jsbox_text_free(&primitive);
  JSValue args[2] = {value, JS_NewInt64(ctx, jsbox.limits.max_result_bytes)};
  JSValue encoded = call_guest(ctx, "encode", 2, args);
  if (JS_IsException(encoded)) {
    /* A toJSON that throws, or out of memory while encoding. */
    JSValue error = JS_GetException(ctx);
    if (jsbox_is_out_of_memory(ctx, error)) {
      memory_limit_outcome(json, console);
    } else {
      exception_outcome(json, console, ctx, error);
    }
    JS_FreeValue(ctx, error);
    return;
  }
  if (JS_IsString(encoded)) {
    jsbox_text_append_str(json, "{\"kind\":\"value\",\"value\":");
    jsbox_text_append_js(json, ctx, encoded);
    jsbox_text_append_str(json, "}");
    *is_value = 1;
  } else {
    jsbox_text_append_str(json,
                          "{\"kind\":\"limit\",\"limit\":\"output\",\"message\":\"result is larger than maxResultBytes\"}");
    jsbox_text_append_str(console, "Error: result is larger than maxResultBytes");
  }
  JS_FreeValue(ctx, encoded);
}

/* A recorded escape attempt beats every other outcome. Returns whether there was one. */
static int violation_outcome(jsbox_text *json, jsbox_text *console, JSContext *ctx) {
  if (JS_IsUndefined(jsbox.guest)) return 0;
  JSValue violation = call_guest(ctx, "violation", 0, NULL);
  if (JS_IsException(violation)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    return 0;
  }
  size_t len = 0;
  const char *text = JS_IsString(violation) ? JS_ToCStringLen(ctx, &len, violation) : NULL;
  int found = text && len > 0;
  if (found) {
    jsbox_text_free(json);
    jsbox_text_free(console);
    *json = (jsbox_text){0};
    *console = (jsbox_text){0};
    jsbox_text_append_str(json, "{\"kind\":\"violation\",\"violation\":");
    jsbox_text_append(json, text, len);
    jsbox_text_append_str(json, "}");
    jsbox_text_append_str(console, "Security violation: ");
    jsbox_text_append(console, text, len);
  }
  if (text) JS_FreeCString(ctx, text);
  JS_FreeValue(ctx, violation);
  return found;
}

/* Defines the `input` global from the request's JSON text; 0, or -1 with an exception. */
static int define_input(JSContext *ctx, const char *json, size_t json_len) {
  if (json_len == 0) return 0;
  JSValue value = JS_ParseJSON(ctx, json, json_len, "input.json");
  if (JS_IsException(value)) return -1;
  JSValue global = JS_GetGlobalObject(ctx);
  int status = JS_DefinePropertyValueStr(ctx, global, "input", value, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeValue(ctx, global);
  return status < 0 ? -1 : 0;
}

__attribute__((export_name("invoke"))) void jsbox_invoke(const uint8_t *bytecode, size_t bytecode_len, uint32_t fn_tag,
                                                        const char *fn_name, size_t fn_name_len) {
  jsbox_ensure_initialized();
  JSContext *ctx = jsbox.context;
  jsbox_apply_limits();
  jsbox_reseed_math_random();
  jsbox_refused_allocations = 0;

  /* Step 1-2: the request's input from fd 0, as the `input` global (a hidden property like the
     prelude's, which already ran at pre-initialisation) and for Javy.IO.readSync(0). */
  size_t input_len = 0;
  char *input = jsbox_read_all(0, &input_len);
  JSValue job_error = JS_UNDEFINED;
  run_result result;
  jsbox_set_guest_input(input, input_len);
  if (define_input(ctx, input, input ? input_len : 0) != 0) {
    result = threw(ctx);
  } else {
    /* Step 3: the program itself. */
    result = run_program(ctx, bytecode, bytecode_len, fn_tag, fn_name, fn_name_len, &job_error);
  }

  /* Step 4: describe how it ended. User code is over: grant a small reserve so that describing
     an out-of-memory error does not itself run out of memory. */
  JS_SetMemoryLimit(jsbox.runtime, (size_t)jsbox.limits.memory_limit_bytes + JSBOX_REPORT_RESERVE_BYTES);
  jsbox_text json = {0};
  jsbox_text console = {0};
  int is_value = 0;
  switch (result.state) {
    case RUN_VALUE:
      value_outcome(&json, &console, ctx, result.value, &is_value);
      break;
    case RUN_ERROR:
      if (JS_IsNull(result.value) && jsbox_refused_allocations > 0) {
        /* QuickJS could not allocate even the error object, so it threw null (JS_ThrowError2). */
        memory_limit_outcome(&json, &console);
      } else {
        exception_outcome(&json, &console, ctx, result.value);
      }
      break;
    case RUN_PENDING:
      jsbox_text_append_str(&json, "{\"kind\":\"unsettled\"}");
      jsbox_text_append_str(&console, "Error: the program ended while its top-level promise was still pending");
      break;
  }
  if (violation_outcome(&json, &console, ctx)) is_value = 0;
  JS_FreeValue(ctx, result.value);
  JS_FreeValue(ctx, job_error);
  if (json.failed) {
    jsbox_text_free(&json);
    jsbox_text_free(&console);
    json = (jsbox_text){0};
    console = (jsbox_text){0};
    memory_limit_outcome(&json, &console);
    is_value = 0;
  }
  jsbox_text_append_str(&console, "\n");
  jsbox_emit_outcome(&json, console.data, is_value);
  jsbox_text_free(&json);
  jsbox_text_free(&console);
  jsbox_release_guest_input();
  JS_SetMemoryLimit(jsbox.runtime, jsbox.limits.memory_limit_bytes);
}
