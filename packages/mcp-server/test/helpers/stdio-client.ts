import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { assertBuilt, CLI_PATH, serverEnv } from './built-cli.js';

/** A connected SDK client on a spawned `node dist/cli.js`, plus what went wrong on the way. */
export interface StdioConnection {
  client: Client;
  transport: StdioClientTransport;
  /** Transport errors, e.g. a stdout line that is not a protocol message. */
  transportErrors: Error[];
  /** Everything the server wrote to stderr. */
  stderr: () => string;
  close: () => Promise<void>;
}

/** Spawns the built server over stdio on `backend` and connects a real SDK client. */
export async function connectStdio(backend: string, args: string[] = []): Promise<StdioConnection> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, '--log-level', 'warn', ...args],
    env: serverEnv(backend),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const transportErrors: Error[] = [];
  const client = new Client({ name: 'jsbox-mcp-test', version: '0.0.0' });
  client.onerror = (error) => transportErrors.push(error);
  await client.connect(transport);
  return { client, transport, transportErrors, stderr: () => stderr, close: () => client.close() };
}
