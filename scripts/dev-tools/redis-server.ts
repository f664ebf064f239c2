/**
 * A real Redis for the queue tests: Debian's `redis-server`, started on a free loopback
 * port for a test file and stopped after it, with a password or TLS when asked.
 *
 * Where redis-server is missing, `npm test` installs it (vitest's global setup calls
 * `ensureSystemPackage(REDIS)` once): on Debian or Ubuntu as root, or with password-less sudo,
 * with apt-get, saying so; anywhere else it stops at once with the command to run. It never
 * skips the queue tests silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureSystemPackage, type SystemPackage } from './system-packages.js';


export const REDIS_SERVER = '/usr/bin/redis-server';

/** Debian's redis-server, installed when missing (see system-packages.ts). */
export const REDIS: SystemPackage = {
  name: 'redis-server',
  debianPackage: 'redis-server',
  elsewhere: 'Install Redis (macOS: `brew install redis`) so that redis-server is at /usr/bin/redis-server.',
  isInstalled: () => existsSync(REDIS_SERVER),
};

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with the password (`redis://:<password>@…`) and `rediss:` for TLS. */
  url: string;
  port: number;
  /** The certificate authority's certificate (PEM file), for a TLS server. */
  caFile?: string;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  password?: string;
  /** Serve TLS only, with a certificate for 127.0.0.1 made for the occasion. */
  tls?: boolean;
}

/** A loopback port no one is using now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  ensureSystemPackage(REDIS);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-redis-'));
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder, '--protected-mode', 'yes'];
  if (options.password) args.push('--requirepass', options.password);
  let caFile: string | undefined;
  if (options.tls) {
    const { generate } = await import('selfsigned');
    const made = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    caFile = path.join(folder, 'ca.pem');
    await writeFile(caFile, made.cert);
    await writeFile(path.join(folder, 'key.pem'), made.private);
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', caFile, '--tls-key-file', path.join(folder, 'key.pem'), '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  const server: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    caFile,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}
