/** Runs `task` now and again `ms` after each run ends (never two at once); returns stop. */
export function every(ms: number, task: () => Promise<void> | void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    try {
      await task();
    } finally {
      if (!stopped) timer = setTimeout(() => void run(), ms);
    }
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
