/**
 * A Server-Sent Events reader for the tests: collects the dev server's
 * events and waits for the one a test expects.
 */
export interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventLog {
  events: ServerEvent[];
  /**
   * The first event that matches, once it has come. Woken by each event, with no deadline of its own: a
   * rebuild takes what it takes on a busy machine, and only the test's own time limit ends the wait.
   */
  waitFor(match: (event: ServerEvent) => boolean): Promise<ServerEvent>;
  close(): void;
}

export async function listen(url: string): Promise<EventLog> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const events: ServerEvent[] = [];
  const waiting = new Set<() => void>();
  let ended = false;
  const wake = () => waiting.forEach((check) => check());
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}');
          events.push({ event, data });
          wake();
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    wake();
  })();
  return {
    events,
    waitFor: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found || ended) waiting.delete(check);
          if (found) resolve(found);
          else if (ended) reject(new Error(`the event stream ended without a matching event; got ${JSON.stringify(events)}`));
        };
        waiting.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
}
