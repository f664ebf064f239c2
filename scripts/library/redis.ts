/**
 * Connections to the queue's Redis, and its URL as logs may show it. A URL may hold a
 * password (`redis://:secret@host`, `rediss://user:secret@host`): it is used to connect and
 * never printed. `rediss://` connects over TLS (ioredis reads it from the URL; a private
 * certificate authority is trusted through NODE_EXTRA_CA_CERTS, as for any Node program).
 */
import { Redis } from 'ioredis';

/** The URL with its password (and user name) hidden: what a log may print. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.href;
  } catch {
    return '(a Redis URL that cannot be read)';
  }
}

/**
 * A connection for BullMQ (which needs `maxRetriesPerRequest: null` for its blocking reads).
 * Connection errors are reported once each, through `report`, with the URL redacted;
 * ioredis keeps trying to connect meanwhile.
 */
export function connectRedis(url: string, report: (line: string) => void): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, connectionName: 'massage-press' });
  let last = '';
  connection.on('error', (error: Error) => {
    const message = error.message.split(url).join(redactRedisUrl(url));
    if (message !== last) report(`redis ${redactRedisUrl(url)}: ${message}`);
    last = message;
  });
  connection.on('ready', () => (last = ''));
  return connection;
}
