// The SVG charts of docs/benchmarks/, drawn from results.json.
import { barChartSvg } from './bar-chart-svg.mjs';

const MiB = 2 ** 20;

/** `{ fileName: svgText }` for every chart. */
export function renderCharts(results) {
  const labels = Object.fromEntries(
    results.contestants.map((contestant) => [contestant.id, contestant.label]),
  );
  const qjsLabel = 'qjs (native)';
  const latencySeries = [
    ...results.contestants.map((contestant) => contestant.label),
    ...(results.qjs.available ? [qjsLabel] : []),
  ];
  const charts = {};
  charts['warm-latency.svg'] = barChartSvg({
    title: 'Warm latency per execution (median)',
    unit: 'milliseconds, shorter is better; each panel has its own scale',
    series: latencySeries,
    groups: results.workloads.map((workload) => ({
      label: workload.label,
      values: {
        ...Object.fromEntries(
          results.contestants.map((contestant) => [
            labels[contestant.id],
            results.warmLatency[contestant.id]?.[workload.id]?.medianMs,
          ]),
        ),
        ...(results.qjs.available ? { [qjsLabel]: results.qjsWarmLatency?.[workload.id]?.medianMs } : {}),
      },
    })),
    note: 'node:vm is no isolation boundary: a speed reference only.',
  });
  const coldLabels = {
    ...labels,
    'wasmtime-empty-cache': 'jsbox wasmtime, empty cache',
    'qjs-native': qjsLabel,
  };
  charts['cold-start.svg'] = barChartSvg({
    title: 'Cold start: spawn a process, create, first hello world',
    unit: 'milliseconds from spawn to exit (median), shorter is better',
    series: Object.keys(results.coldStart).map((id) => coldLabels[id] ?? id),
    groups: [
      {
        label: 'hello world in a fresh process',
        values: Object.fromEntries(
          Object.entries(results.coldStart).map(([id, entry]) => [coldLabels[id] ?? id, entry.wallMs]),
        ),
      },
    ],
  });
  const pooled = results.contestants.filter((contestant) => contestant.pooled);
  charts['throughput.svg'] = barChartSvg({
    title: `Throughput with a ${results.throughput.poolSize}-worker pool`,
    unit: 'executions per second, longer is better',
    series: pooled.map((contestant) => contestant.label),
    groups: results.throughputWorkloads.map((workload) => ({
      label: workload.label,
      values: Object.fromEntries(
        pooled.map((contestant) => [
          contestant.label,
          results.throughput[contestant.id]?.[workload.id]?.executionsPerSecond,
        ]),
      ),
    })),
  });
  charts['memory.svg'] = barChartSvg({
    title: 'Peak memory per execution',
    unit: 'MiB above the process RSS before the run, shorter is better',
    series: results.contestants.map((contestant) => contestant.label),
    groups: results.memoryWorkloads.map((workload) => ({
      label: workload.label,
      values: Object.fromEntries(
        results.contestants.map((contestant) => [
          contestant.label,
          (results.memory[contestant.id]?.[workload.id]?.peakDeltaBytes ?? Number.NaN) / MiB,
        ]),
      ),
    })),
  });
  charts['fuel-overhead.svg'] = barChartSvg({
    title: 'Fuel metering on jsbox wasmtime',
    unit: 'milliseconds (median), fuel on vs off',
    series: ['fuel on', 'fuel off'],
    groups: Object.values(results.fuel.workloads).map((entry) => ({
      label: `${entry.label} (${entry.overheadPercent} % overhead)`,
      values: { 'fuel on': entry.fuelOnMs, 'fuel off': entry.fuelOffMs },
    })),
  });
  charts['mcp-round-trip.svg'] = barChartSvg({
    title: 'MCP execute_agent_code round trip over stdio (1 + 1)',
    unit: 'milliseconds, shorter is better',
    series: Object.keys(results.mcp),
    groups: [
      {
        label: 'warm median',
        values: Object.fromEntries(Object.entries(results.mcp).map(([id, entry]) => [id, entry.medianMs])),
      },
      {
        label: 'warm p99',
        values: Object.fromEntries(Object.entries(results.mcp).map(([id, entry]) => [id, entry.p99Ms])),
      },
      {
        label: 'cold (spawn + initialize + first call)',
        values: Object.fromEntries(Object.entries(results.mcp).map(([id, entry]) => [id, entry.coldMs])),
      },
    ],
  });
  return charts;
}
