import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem, type } from 'node:os';

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

/** The machine in one line, for the results: CPUs, model, memory, system and Node. */
export function describeMachine(): string {
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  return (
    `${availableParallelism()} CPUs (${cpuModel()}), ${gib} GiB memory, ` +
    `${type()} ${release()}, Node ${process.version}`
  );
}

/** A line of /proc/PID/status in bytes, e.g. VmRSS (now) or VmHWM (peak so far); 0 if gone. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Polls a process's resident memory and keeps the highest value seen. */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => {
      this.sample();
    }, intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, procStatusBytes(this.pid, 'VmRSS'));
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}
