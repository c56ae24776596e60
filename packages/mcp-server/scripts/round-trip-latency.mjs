#!/usr/bin/env node
// Measures the round trip of one `execute_agent_code` call running `1 + 1` on the built server,
// over stdio and over Streamable HTTP, with the SDK's real client.
// Usage: node scripts/round-trip-latency.mjs [iterations=50]   (backend: MCP_SANDBOX_BACKEND, default quickjs)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const iterations = Number(process.argv[2] ?? 50);
const backend = process.env.MCP_SANDBOX_BACKEND || 'quickjs';
const env = { ...process.env, MCP_SANDBOX_BACKEND: backend };

async function measure(client) {
  const call = () => client.callTool({ name: 'execute_agent_code', arguments: { code: '1 + 1' } });
  for (let index = 0; index < 5; index++) await call();
  const samples = [];
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    const result = await call();
    samples.push(performance.now() - started);
    if (result.structuredContent?.result !== 2)
      throw new Error(`unexpected result ${JSON.stringify(result)}`);
  }
  samples.sort((a, b) => a - b);
  const at = (fraction) => samples[Math.min(samples.length - 1, Math.floor(samples.length * fraction))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, min ${samples[0].toFixed(2)} ms`;
}

async function stdio() {
  const client = new Client({ name: 'latency', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, '--quiet'], env }));
  try {
    return await measure(client);
  } finally {
    await client.close();
  }
}

async function http() {
  const child = spawn(process.execPath, [cli, '--http', '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /serving MCP over HTTP at (\S+)/.exec(stderr);
      if (match) resolve(new URL(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  const client = new Client({ name: 'latency', version: '0' });
  const transport = new StreamableHTTPClientTransport(url);
  await client.connect(transport);
  try {
    return await measure(client);
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

console.log(`execute_agent_code "1 + 1", ${iterations} calls, backend ${backend}, Node ${process.version}`);
console.log(`stdio: ${await stdio()}`);
console.log(`http:  ${await http()}`);
