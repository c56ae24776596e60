import { readFileSync } from 'node:fs';

/** Resident memory of a process, from `/proc/<pid>/status` (Linux). */
export interface ProcessMemory {
  /** Resident set size now (`VmRSS`). */
  rssBytes: number;
  /** Peak resident set size so far (`VmHWM`). */
  peakRssBytes: number;
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${name} line; this measurement needs Linux`);
  return Number(match[1]) * 1024;
}

/** Reads the resident memory of process `pid` (the MCP server child, in the soak). */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssBytes: field(status, 'VmRSS'), peakRssBytes: field(status, 'VmHWM') };
}

/** Bytes as mebibytes with one decimal, for reports. */
export function toMebibytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}
