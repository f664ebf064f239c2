/**
 * `npm run dev`: a live preview while writing (scripts/preview/dev-server.ts), on localhost
 * only, until Ctrl-C.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../base/project-root.js';
import { DEFAULT_PORT, startDevServer } from '../preview/dev-server.js';
import { runMain } from './run-main.js';

const DEV_HELP = `Usage: npm run dev -- [manuscript] [--port <number>]

Serves a live preview of the manuscript on http://localhost:<port>/ and rebuilds it
whenever a file in the manuscript folder, templates/ or styles/ changes:
the print edition (the PDF as it will print) at /, the ebook view at /ebook/.

Options:
  --port <number>       port to listen on, on 127.0.0.1 only (default: 4310; 0 picks a free one)
  -h, --help            show this help
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(DEV_HELP);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, got ${values.port}\n`);
    return 1;
  }
  const server = await startDevServer({
    input: positionals[0] ?? path.join(PROJECT_ROOT, 'manuscript'),
    port,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Preview on ${server.url} (print) and ${server.url}ebook/ (ebook). Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

runMain(main);
