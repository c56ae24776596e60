/*
 * Captured output. When the jsbox host asks for it (`jsbox-configure-capture`), what the guest
 * writes to stdout and stderr, and the outcome document, collect in this instance's memory
 * instead of leaving through `fd_write` on every console.log (each of which is a call into the
 * host). The host reads them from the area below after the run, however it ended: value,
 * exception, trap or deadline; the memory is intact in every case. A buffer is flushed through
 * `fd_write` before it would pass FLUSH_BYTES, and a write that takes stdout or stderr past the
 * host's output cap goes out at once, so the host's cap still stops the guest the moment it is
 * exceeded. Without the request (e.g. `wasmtime run`), every write goes straight to its fd.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define FLUSH_BYTES (64u * 1024u)

typedef struct capture_buffer {
  char *data;
  uint32_t len;
  uint32_t cap;
  uint64_t total; /* everything written to the fd in this run, flushed or not */
} capture_buffer;

static int capturing;
static uint32_t max_output_bytes;
/* Indexed by fd: 1 stdout, 2 stderr, 3 the outcome document. */
static capture_buffer buffers[4];
/* [stdout ptr, len, stderr ptr, len, outcome ptr, len]: what the host reads after the run. */
static uint32_t area[6];

static void publish(int fd) {
  area[(fd - 1) * 2] = (uint32_t)(uintptr_t)buffers[fd].data;
  area[(fd - 1) * 2 + 1] = buffers[fd].len;
}

static int flush(int fd) {
  capture_buffer *buffer = &buffers[fd];
  if (buffer->len == 0) return 0;
  int status = jsbox_write_all(fd, buffer->data, buffer->len);
  buffer->len = 0;
  publish(fd);
  return status;
}

/* Makes room for `more` bytes; 0 on success. Never grows past FLUSH_BYTES. */
static int reserve(capture_buffer *buffer, uint32_t more) {
  uint32_t needed = buffer->len + more;
  if (needed <= buffer->cap) return 0;
  uint32_t cap = buffer->cap < 256 ? 256 : buffer->cap * 2;
  if (cap < needed) cap = needed;
  if (cap > FLUSH_BYTES) cap = FLUSH_BYTES;
  char *grown = realloc(buffer->data, cap);
  if (!grown) return -1;
  buffer->data = grown;
  buffer->cap = cap;
  return 0;
}

int jsbox_output(int fd, const void *data, size_t len) {
  if (!capturing || fd < 1 || fd > 3) return jsbox_write_all(fd, data, len);
  capture_buffer *buffer = &buffers[fd];
  buffer->total += len;
  int past_cap = fd != 3 && buffer->total > max_output_bytes;
  if (past_cap || len > FLUSH_BYTES - buffer->len || reserve(buffer, (uint32_t)len) != 0) {
    int status = flush(fd);
    if (status != 0) return status;
    if (past_cap || len > FLUSH_BYTES || reserve(buffer, (uint32_t)len) != 0) return jsbox_write_all(fd, data, len);
  }
  memcpy(buffer->data + buffer->len, data, len);
  buffer->len += (uint32_t)len;
  publish(fd);
  return 0;
}

/*
 * `jsbox-configure` plus output capture: `max_output` is the host's cap of stdout and of stderr.
 * Returns the address of the area [stdout ptr, len, stderr ptr, len, outcome ptr, len] (the same
 * in every instance of this plugin), which the host reads after the run.
 */
__attribute__((export_name("jsbox-configure-capture"))) uint32_t *jsbox_configure_capture(uint32_t memory_limit_bytes,
                                                                                        uint32_t max_stack_bytes,
                                                                                        uint32_t max_result_bytes,
                                                                                        uint32_t max_output) {
  jsbox_configure(memory_limit_bytes, max_stack_bytes, max_result_bytes);
  capturing = 1;
  max_output_bytes = max_output;
  return area;
}
