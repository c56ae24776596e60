// Fault injection, loaded into the MCP server with `node --import <this file>`: tracks the
// sandbox's execution worker threads and, on SIGUSR2, terminates every one of them, as a real
// crash of a worker thread would end it. The server is not told; its pool must notice on its own.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const EXECUTION_WORKER = /\/(?:worker|execution-worker)\.js$/;
const live = new Set();
const Original = workerThreads.Worker;

class TrackedWorker extends Original {
  constructor(filename, options) {
    super(filename, options);
    if (EXECUTION_WORKER.test(String(filename))) {
      live.add(this);
      this.once('exit', () => live.delete(this));
    }
  }
}

workerThreads.Worker = TrackedWorker;
// ESM importers of node:worker_threads see the replacement through their live bindings.
syncBuiltinESMExports();

process.on('SIGUSR2', () => {
  const count = live.size;
  for (const worker of live) void worker.terminate();
  process.stderr.write(`fault hook: terminated ${count} execution worker(s)\n`);
});
