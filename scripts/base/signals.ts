/**
 * Cleaning up when a signal ends the process: until the returned function is called,
 * SIGINT (Ctrl-C), SIGTERM or SIGHUP runs `cleanUp` and then ends the process as the
 * signal would have (so its parent still sees it killed by that signal). A clean-up that
 * returns a promise is waited for; a second signal meanwhile ends the process at once.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function cleanUpOnSignal(cleanUp: () => void | Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    const end = () => process.kill(process.pid, signal);
    let pending: void | Promise<void> = undefined;
    try {
      pending = cleanUp();
    } catch {
      // Cleaning up is all it can do: the signal ends the process all the same.
    }
    if (pending) pending.then(end, end);
    else end();
  };
  const stop = () => SIGNALS.forEach((signal) => process.off(signal, onSignal));
  SIGNALS.forEach((signal) => process.once(signal, onSignal));
  return stop;
}
