// The cost of fuel metering: the same workloads on two wasmtime backends that differ only in
// `meterFuel` (engine built with or without wasmtime's consume_fuel), measured in alternating
// rounds so drift on a shared machine hits both sides. Also the fuel burn rate (units per ms),
// which calibrates core's FUEL_PER_MS.
import { FUEL_HEADROOM, FUEL_PER_MS, resolveExecutionRequest } from '@jsbox/core';
import { createWasmtimeBackend } from '@jsbox/runtime-wasmtime';
import { Bench } from 'tinybench';
import { median, rounded } from './statistics.mjs';
import { checkAnswer } from './workload-source.mjs';

async function timeWorkload(backend, workload, quick) {
  const request = resolveExecutionRequest({ code: workload.code });
  let last;
  const bench = new Bench({
    time: quick ? 100 : 600,
    iterations: quick ? 3 : 8,
    warmupIterations: 1,
    warmupTime: 0,
    throws: true,
  });
  bench.add(workload.id, async () => {
    last = await backend.execute(request);
    if (last.status !== 'success') throw new Error(`wasmtime ${workload.id}: ${JSON.stringify(last.error)}`);
    checkAnswer('jsbox wasmtime', workload, last.result);
  });
  await bench.run();
  return { medianMs: bench.tasks[0].result.latency.p50, fuelConsumed: last.fuelConsumed };
}

/** Fuel on vs off per workload, and fuel per ms of guest work. */
export async function measureFuel({ workloads, quick, log }) {
  const metered = await createWasmtimeBackend({ poolSize: 1 });
  const unmetered = await createWasmtimeBackend({ poolSize: 1, meterFuel: false });
  const rounds = quick ? 1 : 3;
  const results = { workloads: {}, corePerMs: FUEL_PER_MS, coreHeadroom: FUEL_HEADROOM };
  try {
    for (const workload of workloads) {
      const on = [];
      const off = [];
      let fuelConsumed = 0;
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        for (const side of order) {
          const measured = await timeWorkload(side === 'on' ? metered : unmetered, workload, quick);
          (side === 'on' ? on : off).push(measured.medianMs);
          if (side === 'on') fuelConsumed = measured.fuelConsumed;
        }
      }
      const onMs = median(on);
      const offMs = median(off);
      results.workloads[workload.id] = {
        label: workload.label,
        fuelOnMs: rounded(onMs),
        fuelOffMs: rounded(offMs),
        overheadPercent: rounded(((onMs - offMs) / offMs) * 100, 1),
        fuelConsumed,
      };
      log(
        `  ${workload.label.padEnd(34)} on ${onMs.toFixed(2)} ms, off ${offMs.toFixed(2)} ms, ` +
          `overhead ${results.workloads[workload.id].overheadPercent} %, fuel ${fuelConsumed.toLocaleString('en')}`,
      );
    }
  } finally {
    await metered.dispose();
    await unmetered.dispose();
  }
  // Burn rate: fuel above hello world's over the time above hello world's (fixed costs cancel).
  const base = results.workloads.hello;
  const rates = Object.entries(results.workloads)
    .filter(([id]) => id !== 'hello' && base)
    .map(([id, entry]) => ({
      workload: id,
      fuelPerMs: Math.round((entry.fuelConsumed - base.fuelConsumed) / (entry.fuelOnMs - base.fuelOnMs)),
    }));
  results.fuelPerMs = rates;
  return results;
}
