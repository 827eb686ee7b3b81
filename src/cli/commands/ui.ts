import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { info, interruptible } from '../common.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${v}: give a port number from 0 to 65535 (0 picks a free one)`);
  return n;
}

/** Each Enter on the terminal prints a fresh single-use address; returns the function that stops listening. */
function newAddressOnEnter(newAddress: () => string): () => void {
  const onData = (chunk: Buffer) => {
    if (!chunk.includes(10) && !chunk.includes(13)) return;
    process.stdout.write(newAddress() + '\n');
    info('A new address, good once within a minute (the earlier one no longer works).');
  };
  process.stdin.on('data', onData);
  return () => {
    process.stdin.off('data', onData);
    process.stdin.pause();
  };
}

export function register(program: Command): void {
  program
    .command('ui')
    .description('open the local web wizard (http://127.0.0.1 only); prints its address with the access token first')
    .option('--port <port>', 'port to listen on (default: a free one)', parsePort)
    .option('--no-open', 'do not open a browser')
    .option('--root <dir>', 'also look for backups here (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (opts: { port?: number; open: boolean; root?: string[] }) => {
      // Loaded here, not at start-up: the server and its routes are most of the CLI's import time,
      // which every other command (info, ls, ...) would otherwise pay.
      const [{ openExternal }, { createDeviceWatch }, { startUiServer }] = await Promise.all([import('../../ui/open-external.js'), import('../../ui/device-watch.js'), import('../../ui/server.js')]);
      const devices = createDeviceWatch();
      const server = await startUiServer({ port: opts.port ?? 0, roots: opts.root ?? [], devices });
      // The first stdout line is the URL, for scripts and tests; the rest of what we say goes to stderr.
      process.stdout.write(server.url + '\n');
      info('irescue wizard running. Open the address above in your browser: it holds a private access token that works once, within a minute.');
      const fresh = process.stdin.isTTY ? newAddressOnEnter(server.newAddress) : undefined;
      info(fresh ? 'Press Enter here for a new address (for another browser, or if the minute has passed). Stop with Ctrl-C.' : 'Stop it with Ctrl-C.');
      if (opts.open && !(await openExternal(server.url))) info('(No browser could be opened from here: copy the address into one.)');
      // Runs until Ctrl-C; a second Ctrl-C while it shuts down exits at once.
      const interrupt = interruptible();
      try {
        await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
        fresh?.();
        info('Stopping the wizard...');
        devices.close();
        await server.close().catch(() => undefined);
      } finally {
        interrupt.dispose();
      }
    });
}
