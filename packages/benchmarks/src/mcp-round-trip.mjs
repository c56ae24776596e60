// MCP round trip over stdio: the SDK's Client spawns the built `jsbox-mcp` and calls
// `execute_agent_code` with `1 + 1`. Cold = spawn + initialize + first call; warm = one call.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Bench } from 'tinybench';
import { rounded } from './statistics.mjs';

function serverBin() {
  const manifestPath = createRequire(import.meta.url).resolve('@jsbox/mcp-server/package.json');
  const manifest = createRequire(import.meta.url)(manifestPath);
  return join(dirname(manifestPath), manifest.bin['jsbox-mcp']);
}

async function callOnePlusOne(client) {
  const result = await client.callTool({ name: 'execute_agent_code', arguments: { code: '1 + 1' } });
  if (result.structuredContent?.result !== 2)
    throw new Error(`unexpected MCP result ${JSON.stringify(result)}`);
}

/** Cold and warm `execute_agent_code` round trips for each jsbox backend. */
export async function measureMcpRoundTrip({ quick, log }) {
  const bin = serverBin();
  const results = {};
  for (const backend of ['wasmtime', 'quickjs']) {
    const client = new Client({ name: 'jsbox-bench', version: '0' });
    const started = performance.now();
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin, '--backend', backend, '--quiet'],
        stderr: 'ignore',
      }),
    );
    await callOnePlusOne(client);
    const coldMs = performance.now() - started;
    try {
      const bench = new Bench({
        time: quick ? 150 : 1500,
        iterations: quick ? 10 : 200,
        warmupIterations: 10,
        throws: true,
      });
      bench.add(backend, () => callOnePlusOne(client));
      await bench.run();
      const { latency } = bench.tasks[0].result;
      results[backend] = {
        coldMs: rounded(coldMs, 1),
        medianMs: rounded(latency.p50),
        p99Ms: rounded(latency.p99),
        samples: latency.samplesCount,
      };
      log(
        `  ${backend.padEnd(10)} cold ${coldMs.toFixed(0)} ms, warm median ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
      );
    } finally {
      await client.close();
    }
  }
  return results;
}
