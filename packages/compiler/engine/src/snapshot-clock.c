/*
 * QuickJS reads the clock through gettimeofday (Date, and the Math.random seed taken when the
 * context is created). We define it here, so wasi-libc's version is not linked, for one reason:
 * while wizer runs `initialize-runtime` the clock reads as a fixed instant. The snapshot then
 * holds no build-time timestamp (the plugin is bit-for-bit reproducible) and wizer needs no
 * WASI at all. Afterwards it is the real clock (WASI clock_time_get), so Date.now() is real time.
 */
#include <sys/time.h>
#include <wasi/api.h>

#include "engine.h"

int gettimeofday(struct timeval *restrict now, void *restrict zone) {
  (void)zone;
  __wasi_timestamp_t nanoseconds = 0;
  if (jsbox.initialized && __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1000, &nanoseconds) != 0) nanoseconds = 0;
  if (now) {
    now->tv_sec = (time_t)(nanoseconds / 1000000000u);
    now->tv_usec = (suseconds_t)(nanoseconds % 1000000000u / 1000u);
  }
  return 0;
}
