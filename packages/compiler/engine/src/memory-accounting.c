/*
 * QuickJS's allocator hooks, doing what its default ones do (account every block, refuse past
 * the JS_SetMemoryLimit limit) plus counting refusals. When QuickJS cannot even allocate the
 * "out of memory" error object it throws `null`; the refusal count lets `invoke` tell that
 * apart from a guest's own `throw null` and report the memory limit instead.
 */
#include <malloc.h>
#include <stdlib.h>

#include "engine.h"

/* Same per-block bookkeeping overhead QuickJS assumes for its default allocator. */
#define BLOCK_OVERHEAD 8

uint32_t jsbox_refused_allocations;

static void *accounted_malloc(JSMallocState *state, size_t size) {
  if (state->malloc_size + size > state->malloc_limit) {
    jsbox_refused_allocations++;
    return NULL;
  }
  void *block = malloc(size);
  if (!block) {
    /* The wasm memory itself could not grow (e.g. the host's store limiter). */
    jsbox_refused_allocations++;
    return NULL;
  }
  state->malloc_count++;
  state->malloc_size += malloc_usable_size(block) + BLOCK_OVERHEAD;
  return block;
}

static void accounted_free(JSMallocState *state, void *block) {
  if (!block) return;
  state->malloc_count--;
  state->malloc_size -= malloc_usable_size(block) + BLOCK_OVERHEAD;
  free(block);
}

static void *accounted_realloc(JSMallocState *state, void *block, size_t size) {
  if (!block) return size == 0 ? NULL : accounted_malloc(state, size);
  size_t old_size = malloc_usable_size(block);
  if (size == 0) {
    accounted_free(state, block);
    return NULL;
  }
  if (state->malloc_size + size - old_size > state->malloc_limit) {
    jsbox_refused_allocations++;
    return NULL;
  }
  void *moved = realloc(block, size);
  if (!moved) {
    jsbox_refused_allocations++;
    return NULL;
  }
  state->malloc_size += malloc_usable_size(moved) - old_size;
  return moved;
}

static size_t usable_size(const void *block) {
  return malloc_usable_size((void *)block);
}

const JSMallocFunctions jsbox_malloc_functions = {
    accounted_malloc,
    accounted_free,
    accounted_realloc,
    usable_size,
};
