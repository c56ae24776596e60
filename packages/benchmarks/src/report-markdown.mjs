// Renders results.json as markdown: the tables, the same-run ratios and the targets.
// The suite prints it and puts it between the markers of docs/benchmarks.md.

const MiB = 2 ** 20;
const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (value) => (Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value.toFixed(2)) : '–');
const table = (header, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** `a / b = 0.48x` with both medians, or a dash when either is missing. */
export function ratioLine(nameA, a, nameB, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return `${nameA} / ${nameB} = –`;
  return `${nameA} / ${nameB} = ${(a / b).toFixed(2)}x (${ms(a)} ms vs ${ms(b)} ms)`;
}

function latencyColumns(results) {
  const columns = results.contestants.map((contestant) => ({
    label: contestant.label,
    cell: (workload) => results.warmLatency[contestant.id]?.[workload],
  }));
  if (results.qjs.available) {
    columns.push({
      label: `qjs ${results.qjs.version} (native)`,
      cell: (workload) => results.qjsWarmLatency?.[workload],
    });
  }
  return columns;
}

function warmSection(results) {
  const columns = latencyColumns(results);
  const rows = results.workloads.map((workload) => [
    workload.label,
    ...columns.map((column) => {
      const cell = column.cell(workload.id);
      return cell ? `${ms(cell.medianMs)} / ${ms(cell.p99Ms)}` : '–';
    }),
  ]);
  const lines = [];
  const pairs = [
    ['wasmtime', 'quickjs-emscripten'],
    ['quickjs', 'quickjs-emscripten'],
    ['wasmtime', 'quickjs'],
    ['wasmtime', 'node-vm'],
  ];
  for (const workload of results.workloads) {
    const median = (id) => results.warmLatency[id]?.[workload.id]?.medianMs;
    lines.push(
      `- ${workload.label}: ${pairs.map(([a, b]) => ratioLine(a, median(a), b, median(b))).join('; ')}`,
    );
    if (results.qjs.available) {
      lines[lines.length - 1] +=
        `; ${ratioLine('wasmtime', median('wasmtime'), 'qjs', results.qjsWarmLatency?.[workload.id]?.medianMs)}`;
    }
  }
  return [
    '### Warm latency (median / p99, ms)',
    '',
    table(['workload', ...columns.map((column) => column.label)], rows),
    '',
    'Ratios of medians from this run:',
    '',
    ...lines,
  ].join('\n');
}

function coldSection(results) {
  const labelOf = Object.fromEntries(
    results.contestants.map((contestant) => [contestant.id, contestant.label]),
  );
  labelOf['wasmtime-empty-cache'] = 'jsbox wasmtime, empty plugin cache';
  labelOf['qjs-native'] = `qjs ${results.qjs.version ?? ''} (native)`;
  const rows = Object.entries(results.coldStart).map(([id, entry]) => [
    labelOf[id] ?? id,
    ms(entry.wallMs),
    ms(entry.sinceProcessStartMs),
    ms(entry.createMs),
    ms(entry.firstRunMs),
    String(entry.runs),
  ]);
  return [
    '### Cold start (first hello world in a fresh process, ms, median of the runs)',
    '',
    table(['contestant', 'spawn to exit', 'process start to answer', 'create', 'first run', 'runs'], rows),
    '',
    `- ${ratioLine('wasmtime', results.coldStart.wasmtime?.sinceProcessStartMs, 'quickjs-emscripten', results.coldStart['quickjs-emscripten']?.sinceProcessStartMs)}`,
    `- ${ratioLine('quickjs', results.coldStart.quickjs?.sinceProcessStartMs, 'quickjs-emscripten', results.coldStart['quickjs-emscripten']?.sinceProcessStartMs)}`,
  ].join('\n');
}

function throughputSection(results) {
  const { throughput } = results;
  const pooled = results.contestants.filter((contestant) => contestant.pooled);
  const single = results.contestants.filter((contestant) => !contestant.pooled);
  const rows = results.throughputWorkloads.map((workload) => [
    workload.label,
    ...pooled.map((contestant) => fixed(throughput[contestant.id]?.[workload.id]?.executionsPerSecond, 1)),
    ...single.map((contestant) => fixed(1000 / results.warmLatency[contestant.id]?.[workload.id]?.meanMs, 1)),
  ]);
  const eps = (id, workload) => throughput[id]?.[workload]?.executionsPerSecond;
  return [
    `### Throughput (executions per second; jsbox with a ${throughput.poolSize}-worker pool, ${2 * throughput.poolSize} in flight)`,
    '',
    table(
      [
        'workload',
        ...pooled.map((contestant) => `${contestant.label} (pool)`),
        ...single.map((contestant) => `${contestant.label} (1 thread, 1000 / mean)`),
      ],
      rows,
    ),
    '',
    ...results.throughputWorkloads.map(
      (workload) =>
        `- ${workload.label}: wasmtime / quickjs = ${fixed(eps('wasmtime', workload.id) / eps('quickjs', workload.id))}x executions per second`,
    ),
  ].join('\n');
}

function memorySection(results) {
  const rows = results.memoryWorkloads.map((workload) => [
    workload.label,
    ...results.contestants.map((contestant) =>
      fixed(results.memory[contestant.id]?.[workload.id]?.peakDeltaBytes / MiB, 1),
    ),
  ]);
  const baseline = results.contestants.map((contestant) =>
    fixed(results.memory[contestant.id]?.hello?.baselineBytes / MiB, 0),
  );
  return [
    '### Peak memory per execution (MiB above the process RSS before the run)',
    '',
    table(
      ['workload', ...results.contestants.map((contestant) => contestant.label)],
      [...rows, ['*process RSS before the run*', ...baseline]],
    ),
  ].join('\n');
}

function fuelSection(results) {
  const { fuel } = results;
  const rows = Object.values(fuel.workloads).map((entry) => [
    entry.label,
    ms(entry.fuelOnMs),
    ms(entry.fuelOffMs),
    `${fixed(entry.overheadPercent, 1)} %`,
    entry.overheadPercent < 10 ? 'yes' : 'no',
    entry.fuelConsumed.toLocaleString('en'),
  ]);
  const rates = fuel.fuelPerMs
    .map((rate) => `${rate.workload} ${(rate.fuelPerMs / 1e6).toFixed(1)} M`)
    .join(', ');
  return [
    '### Fuel metering (jsbox wasmtime, `meterFuel: true` vs `false`, median ms)',
    '',
    table(['workload', 'fuel on', 'fuel off', 'overhead', '< 10 %', 'fuel used'], rows),
    '',
    `Fuel burn rate (units per ms of guest work above hello world): ${rates}. Core's \`FUEL_PER_MS\` is ${(fuel.corePerMs / 1e6).toFixed(0)} M with ${fuel.coreHeadroom}x headroom, so the deadline fires before fuel runs out while the rate stays under ${((fuel.corePerMs * fuel.coreHeadroom) / 1e6).toFixed(0)} M/ms.`,
  ].join('\n');
}

function mcpSection(results) {
  const rows = Object.entries(results.mcp).map(([backend, entry]) => [
    backend,
    ms(entry.coldMs),
    ms(entry.medianMs),
    ms(entry.p99Ms),
    String(entry.samples),
  ]);
  return [
    '### MCP round trip (SDK client → `jsbox-mcp` over stdio, `execute_agent_code` of `1 + 1`, ms)',
    '',
    table(['backend', 'cold (spawn + initialize + first call)', 'warm median', 'warm p99', 'samples'], rows),
    '',
    `- ${ratioLine('wasmtime', results.mcp.wasmtime?.medianMs, 'quickjs', results.mcp.quickjs?.medianMs)}`,
  ].join('\n');
}

function compilerSection(results) {
  const { sizes, summary, compilerBench } = results.compiler;
  const lines = [
    '### Compiler',
    '',
    table(
      ['measure', 'value'],
      [
        ['engine plugin (pre-initialised)', `${sizes.pluginBytes.toLocaleString('en')} bytes`],
        ['hello world dynamic module (Javy: 1-4 KB)', `${sizes.helloDynamicModuleBytes} bytes`],
        ['hello world static module', `${sizes.helloStaticModuleBytes.toLocaleString('en')} bytes`],
        ...(summary
          ? [
              ['compile to a dynamic module, 90 KB source', `${summary.jsboxDynamicMsPerKiB} ms per KB`],
              ['compile to bytecode, 90 KB source', `${summary.jsboxBytecodeMsPerKiB} ms per KB`],
              [
                'quickjs-emscripten `evalCode(compileOnly)`, 90 KB',
                `${summary.quickjsEmscriptenCompileOnlyMsPerKiB} ms per KB`,
              ],
              ['instantiate the pre-initialised plugin (V8)', `${summary.preinitialisedInstantiateMs} ms`],
              [
                'instantiate the raw plugin + `initialize-runtime` (V8)',
                `${summary.rawInstantiateAndInitMs} ms`,
              ],
            ]
          : []),
      ],
    ),
  ];
  if (summary) {
    lines.push(
      '',
      `- ${ratioLine('jsbox compile', summary.jsboxDynamicMsPerKiB, 'quickjs-emscripten compileOnly', summary.quickjsEmscriptenCompileOnlyMsPerKiB).replace(/ ms/g, ' ms/KB')}`,
    );
  }
  if (compilerBench.output) {
    lines.push(
      '',
      `<details><summary>Output of <code>${compilerBench.command}</code> in this run</summary>`,
      '',
      '```text',
      compilerBench.output,
      '```',
      '',
      '</details>',
    );
  }
  return lines.join('\n');
}

function targetsSection(results) {
  const hello = (id) => results.warmLatency[id]?.hello?.medianMs;
  const ratio = hello('wasmtime') / hello('quickjs-emscripten');
  const backendRatio = hello('wasmtime') / hello('quickjs');
  const overheads = Object.entries(results.fuel.workloads).map(
    ([id, entry]) => `${id} ${fixed(entry.overheadPercent, 1)} %`,
  );
  const worst = Math.max(...Object.values(results.fuel.workloads).map((entry) => entry.overheadPercent));
  return [
    '### Issue targets',
    '',
    table(
      ['target', 'measured', 'met'],
      [
        [
          'warm hello world: wasmtime ≤ 0.5x quickjs-emscripten',
          `${fixed(ratio)}x (${ms(hello('wasmtime'))} ms vs ${ms(hello('quickjs-emscripten'))} ms)`,
          ratio <= 0.5 ? 'yes' : 'no',
        ],
        [
          'the same against the jsbox quickjs backend (quickjs-emscripten in a worker pool)',
          `${fixed(backendRatio)}x (${ms(hello('wasmtime'))} ms vs ${ms(hello('quickjs'))} ms)`,
          backendRatio <= 0.5 ? 'yes' : 'no',
        ],
        ['fuel metering overhead < 10 %', overheads.join(', '), worst < 10 ? 'yes' : 'no'],
      ],
    ),
  ].join('\n');
}

/** The whole generated part of docs/benchmarks.md. */
export function renderMarkdown(results) {
  const { machine } = results;
  return [
    `Run ${results.finishedAt.slice(0, 10)}${results.quick ? ' (**--quick** smoke pass: few samples)' : ''}: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverageAtStart.join(' / ')} at the start, ${results.loadAverageAtEnd.join(' / ')} at the end; ${Math.round(results.durationMs / 1000)} s in all.`,
    results.qjs.available
      ? `Native QuickJS: \`qjs\` ${results.qjs.version}.`
      : `Native QuickJS column skipped: ${results.qjs.note}.`,
    '',
    targetsSection(results),
    '',
    warmSection(results),
    '',
    coldSection(results),
    '',
    throughputSection(results),
    '',
    memorySection(results),
    '',
    fuelSection(results),
    '',
    mcpSection(results),
    '',
    compilerSection(results),
  ].join('\n');
}
