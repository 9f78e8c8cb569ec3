/** A one-line progress bar on a TTY; plain lines every 10 % elsewhere (CI logs). */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(done: number, note = '') {
      const now = performance.now();
      const fraction = total === 0 ? 1 : done / total;
      const seconds = ((now - started) / 1000).toFixed(1);
      if (stream.isTTY) {
        if (now - lastDraw < 50 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds}s ${note}`.padEnd(
            100,
          ),
        );
        if (done >= total) stream.write('\n');
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`  progress ${Math.round(fraction * 100)}% (${done}/${total}, ${seconds}s) ${note}\n`);
      }
    },
  };
}
