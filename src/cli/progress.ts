/** A one-line progress display on stderr, only when stderr is a terminal. */

export interface Progress {
  update(bytes: number, events: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return NONE;
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(bytes, events) {
      const now = performance.now();
      if (now - last < 200) return;
      last = now;
      const secs = (now - start) / 1000;
      const rate = secs > 0 ? Math.round(events / secs) : 0;
      const mbs = secs > 0 ? bytes / 1048576 / secs : 0;
      // Events skipped by the pre-filter are not parsed, so bytes/s is the honest speed.
      stream.write(`\r\x1b[2K  reading: ${formatBytes(bytes)} at ${mbs.toFixed(0)} MB/s, ${formatCount(events)} events parsed (${formatCount(rate)}/s)`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
