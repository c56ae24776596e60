import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './progress.mjs';

/** A lock directory without its pid file for this long belongs to a build that died while taking it. */
const PID_GRACE_MS = 5000;

function holderIsGone(lockDir) {
  let pid;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > PID_GRACE_MS;
    } catch {
      return true; // released meanwhile
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Runs `work` while holding `lockDir` (created atomically with mkdir), waiting for another build
 * of the same checkout to finish first: builds share `.cache/build`, and a second build would
 * delete the first one's objects mid-compile (two turbo runs starting together did exactly that).
 * A lock left by a build that was killed is taken over once its process is gone.
 */
export async function withBuildLock(lockDir, work, { pollMs = 250 } = {}) {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (holderIsGone(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another engine build of this checkout (${lockDir})`);
      announced = true;
      await sleep(pollMs);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
