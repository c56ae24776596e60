/*
 * Math.random for a snapshotted engine. QuickJS seeds its generator from the clock when the
 * context is created, which happens inside wizer's snapshot: every instance would then replay
 * the same sequence. We replace Math.random with a generator whose state is reseeded from
 * WASI random_get at the start of every `invoke`.
 */
#include <string.h>
#include <wasi/api.h>

#include "engine.h"

static uint64_t random_state = 1;

/* xorshift64*: the same family QuickJS uses, good enough for Math.random (not for crypto). */
static uint64_t next_random(void) {
  uint64_t x = random_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  random_state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static JSValue math_random(JSContext *ctx, JSValueConst this_value, int argc, JSValueConst *argv) {
  (void)this_value;
  (void)argc;
  (void)argv;
  /* 52 random bits in the mantissa of a double in [1, 2), shifted down to [0, 1). */
  union {
    double d;
    uint64_t u;
  } bits;
  bits.u = ((uint64_t)0x3ff << 52) | (next_random() >> 12);
  return JS_NewFloat64(ctx, bits.d - 1.0);
}

void jsbox_install_math_random(JSContext *ctx) {
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue math = JS_GetPropertyStr(ctx, global, "Math");
  /* Setting an existing property keeps its attributes (writable, configurable, non-enumerable). */
  JS_SetPropertyStr(ctx, math, "random", JS_NewCFunction(ctx, math_random, "random", 0));
  JS_FreeValue(ctx, math);
  JS_FreeValue(ctx, global);
}

void jsbox_reseed_math_random(void) {
  uint64_t seed = 0;
  if (__wasi_random_get((uint8_t *)&seed, sizeof seed) != 0 || seed == 0) {
    /* No entropy source: fall back to the clock, which still differs between executions. */
    __wasi_timestamp_t now = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now) != 0) now = 0x5DEECE66DULL;
    seed = (uint64_t)now ^ 0x9E3779B97F4A7C15ULL;
  }
  random_state = seed == 0 ? 1 : seed;
}
