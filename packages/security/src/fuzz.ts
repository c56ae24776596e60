// Fuzz: seeded, bounded, reproducible. Random programs and mutations of the conformance and
// adversarial programs (token swaps, truncation, nesting, random characters, huge literals,
// splices) against every backend through createSandbox. Fails (exit 1) on a host throw other
// than an invalid-request refusal, a result that breaks the schema, an internal error, a run past
// its deadline + 1.5 s, or a failed health probe. Reproduce one program with --index.
//   pnpm --filter @jsbox/security fuzz [--seconds 60 --seed 1 --backend quickjs|wasmtime --index N]
import { z } from 'zod';
import { integerFlag, parseFlags } from './cli-flags.js';
import { fuzzProgram, runFuzz } from './fuzz/fuzz-run.js';
import { testBackends } from './shared-cases.js';

const options = parseFlags(
  process.argv.slice(2),
  z.object({
    seconds: integerFlag(60, 1, 24 * 3600),
    seed: integerFlag(1, 0, 2 ** 31),
    backend: z.enum(['quickjs', 'wasmtime'], { error: 'must be quickjs or wasmtime' }).optional(),
    index: integerFlag(-1, -1, 1e9),
  }),
  'usage: fuzz [--seconds 60] [--seed 1] [--backend quickjs|wasmtime] [--index N (print program N and exit)]',
);
if (options.index >= 0) {
  process.stdout.write(`${JSON.stringify(fuzzProgram(options.seed, options.index), null, 2)}\n`);
  process.exit(0);
}
const backends = options.backend ? [options.backend] : await testBackends();
const report = await runFuzz({
  seed: options.seed,
  seconds: options.seconds,
  backends,
  onProgress: (done) => process.stderr.write(`fuzz: ${done} programs\n`),
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(
  `fuzz: ${report.programs} programs x ${backends.length} backend(s) in ${report.seconds} s, seed ${report.seed}: ${report.failures.length} failure(s), ${report.knownIssues.length} known issue(s)\n`,
);
process.exit(report.failures.length > 0 ? 1 : 0);
