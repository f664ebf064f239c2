/**
 * A local HTTP server on 127.0.0.1 that answers everything with a tiny image
 * and records every connection and request: the proof that a build fetched
 * nothing is an empty log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface RequestLogServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

export async function startRequestLogServer(): Promise<RequestLogServer> {
  const log = { connections: 0, requests: [] as string[] };
  const server: Server = createServer((request, response) => {
    log.requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1);
  });
  server.on('connection', () => void log.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get connections() {
      return log.connections;
    },
    get requests() {
      return log.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
