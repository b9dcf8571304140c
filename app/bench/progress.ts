const clock = (ms: number) => {
  const total = Math.floor(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
};

/** Progress lines with the elapsed time: `step(label)` when something starts, `step.done(result)` when it ends. */
export function progress(startedAt: number) {
  const step = (label: string) => {
    process.stdout.write(`[${clock(performance.now() - startedAt).padStart(5)}] ${label}\n`);
  };
  step.done = (result: string) => {
    process.stdout.write(`        -> ${result}\n`);
  };
  return step;
}
