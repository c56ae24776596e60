#!/usr/bin/env node
// Sets up the repo (see setup.mjs) and starts the MCP server. All setup progress goes to
// stderr; stdout belongs to the MCP protocol. Extra arguments go to the server, e.g.
// `node scripts/start.mjs --http --port 3000`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { log, repoRoot } from './lib/run.mjs';
import { setup } from './setup.mjs';

try {
  setup();
} catch (error) {
  log(`setup failed: ${error.message}`);
  process.exit(1);
}
const cli = path.join(repoRoot, 'packages', 'mcp-server', 'dist', 'cli.js');
log('starting the jsbox MCP server');
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
