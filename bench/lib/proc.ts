// Reads a process's memory and CPU time from /proc (Linux): current and peak resident set, and
// user+system CPU seconds. Peak RSS can be reset (clear_refs 5) so a peak belongs to one run.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface MemStatus {
  rssMB: number;
  hwmMB: number;
}

export function memStatus(pid: number): MemStatus {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS; false when the kernel or permissions do not allow it. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const TICKS = 100; // USER_HZ on Linux

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Samples RSS every `everyMs` until stopped; returns the highest RSS seen and VmHWM. */
export function sampleRss(pid: number, everyMs = 5) {
  let maxRss = 0;
  const tick = () => {
    try {
      maxRss = Math.max(maxRss, memStatus(pid).rssMB);
    } catch {
      /* process gone */
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop(): { maxRssMB: number; hwmMB: number } {
      clearInterval(timer);
      tick();
      let hwm = NaN;
      try {
        hwm = memStatus(pid).hwmMB;
      } catch {
        /* gone */
      }
      return { maxRssMB: maxRss, hwmMB: hwm };
    },
  };
}

/** CPU seconds used so far by all processes with this command name (e.g. every PostgreSQL backend). */
export function cpuSecondsOf(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      total += cpuSeconds(Number(entry));
    } catch {
      /* gone */
    }
  }
  return total;
}
