// A one-line progress bar for the terminal (plain lines when the output is not a terminal).

export class ProgressBar {
  private readonly start = Date.now();
  private lastLine = 0;

  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(done: number, label: string): void {
    const fraction = Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = fraction > 0 ? elapsed / fraction - elapsed : NaN;
    const width = 28;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
    const text = `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${fmt(elapsed)} elapsed, ${Number.isFinite(eta) ? fmt(eta) : '?'} left  ${label}`;
    if (this.stream.isTTY) this.stream.write(`\r${text.slice(0, (this.stream.columns ?? 120) - 1).padEnd(this.lastLine)}`);
    else this.stream.write(`${text}\n`);
    this.lastLine = text.length;
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

function fmt(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
