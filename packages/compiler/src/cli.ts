#!/usr/bin/env node
// The `jsbox` command: see `jsbox --help` and cli-program.ts.
import { runCli } from './cli-program.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
