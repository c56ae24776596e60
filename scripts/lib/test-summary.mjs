// Adds up the per-package vitest JSON reports into one closing line.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './run.mjs';

const REPORT = '.vitest-report.json';

function reportPaths() {
  const packages = path.join(repoRoot, 'packages');
  return readdirSync(packages).map((name) => path.join(packages, name, REPORT));
}

/** Removes reports of earlier runs so the summary only counts this one (turbo restores cached ones). */
export function clearReports() {
  for (const file of reportPaths()) rmSync(file, { force: true });
}

/** Returns { passed, failed, skipped, packages } over every report present. */
export function summarise() {
  const total = { passed: 0, failed: 0, skipped: 0, packages: 0 };
  for (const file of reportPaths()) {
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    total.packages += 1;
    total.passed += report.numPassedTests ?? 0;
    total.failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    total.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  return total;
}
