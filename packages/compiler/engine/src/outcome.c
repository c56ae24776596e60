/*
 * Delivering the outcome document. fd 3 is the result channel the jsbox host provides, kept
 * apart from the guest's stdout/stderr. Without it (e.g. `wasmtime run`), behave like Javy:
 * failures are printed to stderr and the instance traps (the CLI exits 134); values are not
 * printed.
 */
#include <string.h>

#include "engine.h"

#define RESULT_FD 3

void jsbox_emit_outcome(const jsbox_text *outcome, const char *console_text, int is_value) {
  if (outcome->data && jsbox_output(RESULT_FD, outcome->data, outcome->len) == 0) return;
  if (is_value) return;
  if (console_text) jsbox_write_all(2, console_text, strlen(console_text));
  __builtin_trap();
}
