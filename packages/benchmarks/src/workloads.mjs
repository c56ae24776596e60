// The programs every contestant runs. Each is plain script source whose completion value (the
// last expression statement) is the answer; the asynchronous one is an async IIFE, so every
// contestant (jsbox, quickjs-emscripten, node:vm, qjs) can settle it the same way. Answers are
// small (a number or short string) so result encoding does not dominate.

const fibonacci = `function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
fib(27)`;

// A 1 MiB JSON text built by joining one record template (cheap), then parsed and re-serialised.
const json = `const record = JSON.stringify({
  id: 12345, name: "Ada Lovelace", email: "ada@example.org", active: true, score: 98.5,
  tags: ["math", "engines", "notes", "poetry"],
  address: { street: "12 St James's Square", city: "London", zip: "SW1Y 4JH", geo: [51.5074, -0.1357] },
  history: [{ at: 1843, what: "notes" }, { at: 1833, what: "met Babbage" }]
});
const count = Math.ceil(1048576 / (record.length + 1));
const text = "[" + new Array(count).fill(record).join(",") + "]";
const again = JSON.stringify(JSON.parse(text));
again.length === text.length ? text.length : -1`;

// Log-line parsing: match, capture, replace and split over ~150 KB of text.
const regex = `const lines = [];
for (let i = 0; i < 2000; i++) {
  lines.push("2024-05-" + String(1 + (i % 28)).padStart(2, "0") + "T12:" + String(i % 60).padStart(2, "0") +
    ":00Z level=" + (i % 7 === 0 ? "error" : "info") + " user=user" + i + "@example.com ip=10.0." +
    (i % 256) + "." + ((i * 7) % 256) + " msg=\\"request " + i + " took " + (i % 900) + "ms\\"");
}
const text = lines.join("\\n");
let errors = 0, slow = 0, hosts = new Set();
for (const line of text.split(/\\r?\\n/)) {
  const m = /^(\\d{4})-(\\d{2})-(\\d{2})T[\\d:]+Z level=(\\w+) user=([\\w.+-]+)@([\\w.-]+) ip=((?:\\d{1,3}\\.){3}\\d{1,3}) msg="(.*)"$/.exec(line);
  if (!m) continue;
  if (m[4] === "error") errors++;
  const took = /took (\\d+)ms/.exec(m[8]);
  if (took && Number(took[1]) > 500) slow++;
  hosts.add(m[7].replace(/\\.\\d+$/, ".x"));
}
const redacted = text.replace(/[\\w.+-]+@[\\w.-]+/g, "<email>").replace(/\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b/g, "<ip>");
errors + ":" + slow + ":" + hosts.size + ":" + (redacted.match(/<email>/g) || []).length`;

// String building: concatenation in a loop, then an array join of the same pieces.
const strings = `let s = "";
for (let i = 0; i < 100000; i++) s += i.toString(36) + ",";
const parts = [];
for (let i = 0; i < 100000; i++) parts.push("item-" + i);
s.length + parts.join("|").length`;

// Promise-heavy: 20,000 awaits and 20,000 chained thens.
const promises = `(async () => {
  let total = 0;
  for (let i = 0; i < 20000; i++) total += await Promise.resolve(i);
  let chain = Promise.resolve(0);
  for (let i = 0; i < 20000; i++) chain = chain.then((v) => v + 1);
  return total + (await chain);
})()`;

/**
 * The workloads of the issue, in report order. `expected` is checked on every run of every
 * contestant, so a contestant that silently fails cannot post a fast time.
 */
export const WORKLOADS = [
  { id: 'hello', label: 'hello world', code: 'console.log("hello world")', expected: undefined },
  {
    id: 'hello-fresh',
    label: 'hello world, new source every run',
    code: 'console.log("hello world")',
    unique: true,
    expected: undefined,
  },
  { id: 'fib', label: 'fib(27)', code: fibonacci, expected: 196418 },
  { id: 'json', label: 'JSON 1 MiB parse+stringify', code: json, expected: 1048801 },
  { id: 'regex', label: 'regex log parsing', code: regex, expected: '286:798:256:2000' },
  { id: 'strings', label: 'string building', code: strings, expected: 1540901 },
  { id: 'promises', label: 'promise loop', code: promises, expected: 200010000 },
];

/**
 * Only for the fuel section: a tight numeric loop, the worst case for metering (almost every
 * instruction is a cheap one that still pays its fuel check) and the case core's FUEL_PER_MS
 * was calibrated on.
 */
export const TIGHT_LOOP = {
  id: 'tight-loop',
  label: 'tight loop, 3e6 iterations',
  code: 'let s = 0; for (let i = 0; i < 3e6; i++) s += i; s',
  expected: 4499998500000,
};

/** The workload with id `id`. */
export function workloadById(id) {
  const workload = WORKLOADS.find((entry) => entry.id === id);
  if (!workload) throw new Error(`no workload ${id}`);
  return workload;
}
