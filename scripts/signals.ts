/**
 * Cleaning up when a signal ends the process: until the returned function is called,
 * SIGINT (Ctrl-C), SIGTERM or SIGHUP runs `cleanUp`, synchronously, and then ends the
 * process as the signal would have (so its parent still sees it killed by that signal).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function cleanUpOnSignal(cleanUp: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      cleanUp();
    } finally {
      stop();
      process.kill(process.pid, signal);
    }
  };
  const stop = () => SIGNALS.forEach((signal) => process.off(signal, onSignal));
  SIGNALS.forEach((signal) => process.once(signal, onSignal));
  return stop;
}
