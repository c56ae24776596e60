import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import { execute } from './calls.js';

/**
 * Starts a 60 s busy loop, cancels the request after 500 ms, and checks that the call rejects and
 * that the sandbox serves `1 + 1` again long before the loop's own deadline (the cancel freed it).
 */
export async function expectCancelFreesTheWorker(client: Client): Promise<void> {
  const controller = new AbortController();
  const slow = execute(client, { code: 'while (true) {}', timeoutMs: 60_000 }, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 500));
  controller.abort();
  await expect(slow).rejects.toThrow();
  const started = Date.now();
  await expect
    .poll(async () => (await execute(client, { code: '1 + 1' })).structured?.result, {
      timeout: 15_000,
      interval: 200,
    })
    .toBe(2);
  expect(Date.now() - started).toBeLessThan(15_000);
}
