/*
 * Raw WASI preview1 I/O. The glue talks to fds directly instead of through stdio so that
 * nothing is buffered (console output must reach the host even if the run traps) and so that
 * a missing fd 3 shows up as an errno we can act on.
 */
#include <stdlib.h>
#include <wasi/api.h>

#include "engine.h"

int jsbox_write_all(int fd, const void *data, size_t len) {
  const uint8_t *cursor = data;
  while (len > 0) {
    __wasi_ciovec_t iov = {.buf = cursor, .buf_len = len};
    __wasi_size_t written = 0;
    __wasi_errno_t error = __wasi_fd_write((__wasi_fd_t)fd, &iov, 1, &written);
    if (error != 0) return error;
    if (written == 0) return __WASI_ERRNO_IO;
    cursor += written;
    len -= written;
  }
  return 0;
}

char *jsbox_read_all(int fd, size_t *len) {
  size_t cap = 4096;
  size_t used = 0;
  char *data = malloc(cap + 1);
  if (!data) return NULL;
  for (;;) {
    if (used == cap) {
      char *grown = realloc(data, cap * 2 + 1);
      if (!grown) {
        free(data);
        return NULL;
      }
      data = grown;
      cap *= 2;
    }
    __wasi_iovec_t iov = {.buf = (uint8_t *)data + used, .buf_len = cap - used};
    __wasi_size_t got = 0;
    /* EBADF (no stdin at all) reads as empty input, like end of file. */
    if (__wasi_fd_read((__wasi_fd_t)fd, &iov, 1, &got) != 0 || got == 0) break;
    used += got;
  }
  data[used] = '\0';
  *len = used;
  return data;
}
