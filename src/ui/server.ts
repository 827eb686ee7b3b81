/**
 * The local web wizard's server: node:http on 127.0.0.1 only. Every request passes the Host check
 * (DNS rebinding); state-changing requests the Origin check; every API request but the token trade
 * needs the page key in its header (access.ts). The built page itself holds no secret and is
 * served to anyone who passes the Host check: it is what trades the address token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UiContext, UiOptions } from './context.js';
import { BackupRegistry } from './backup-registry.js';
import { OUT_PREFIX, OutputViews } from './output-view.js';
import { UsageError } from '../errors.js';
import { readJsonBody, sendError, sendJson, sendText, stringField, HttpError } from './http.js';
import { JobRegistry } from './jobs.js';
import { Router } from './router.js';
import { areaRoutes } from './routes/index.js';
import { systemRoutes } from './routes/system.js';
import { KEY_HEADER, PageAccess, type TradeRefusal } from './access.js';
import { hostAllowed, originAllowed, SECURITY_HEADERS } from './security.js';
import { SessionStore } from './sessions.js';
import { closeAllSse } from './sse.js';
import { DEFAULT_WEB_ROOT, serveStatic } from './static.js';

export interface UiServerOptions extends Partial<UiOptions> {
  /** 0 picks a free port */
  port?: number;
  /** fixed first address token (tests); random otherwise */
  token?: string;
  /** how long an address token stays good (default TOKEN_TTL_MS) */
  tokenTtlMs?: number;
  webRoot?: string;
}

export interface UiServer {
  /** the URL to open, token included (it works once, for a short while) */
  url: string;
  /** a fresh address with a new token (the previous one stops working) */
  newAddress(): string;
  /** the URL without the token */
  origin: string;
  port: number;
  token: string;
  context: UiContext;
  close(): Promise<void>;
}

const NO_KEY = 'this request did not come from an open wizard page';
const NEXT_ADDRESS = 'Open the address that irescue ui printed in the terminal; press Enter there for a new address if this one was used already.';
const REFUSAL: Record<TradeRefusal, string> = {
  unknown: 'this wizard address is not valid (it is from an earlier run of irescue ui, or incomplete)',
  used: 'this wizard address was already used: each address opens the wizard once',
  expired: 'this wizard address is too old: it works only for a minute after it was printed',
};

export async function startUiServer(opts: UiServerOptions = {}): Promise<UiServer> {
  const access = new PageAccess(opts.tokenTtlMs, opts.token);
  const webRoot = opts.webRoot ?? DEFAULT_WEB_ROOT;
  const router = new Router();
  const ctx: UiContext = {
    port: 0,
    options: { roots: opts.roots ?? [], includeDefaultRoots: opts.includeDefaultRoots ?? true, demoRoot: opts.demoRoot, devices: opts.devices, deviceSources: opts.deviceSources, cacheDir: opts.cacheDir },
    jobs: new JobRegistry(),
    sessions: new SessionStore(),
    backups: new BackupRegistry(),
    views: new OutputViews(),
    outputs: new Set(),
  };
  for (const m of [systemRoutes, ...areaRoutes]) m.register(router, ctx);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const port = ctx.port;
    if (!hostAllowed(req.headers.host, port)) {
      sendText(res, 403, `Refused: this wizard answers only at http://127.0.0.1:${port}/ (wrong Host header).`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const method = req.method ?? 'GET';
    const isApi = url.pathname.startsWith('/api/');
    // The address token opens the page only: it never authorizes an API call, and the page trades it.
    if (isApi && url.searchParams.has('token')) {
      sendJson(res, 403, { error: { code: 'USAGE', message: 'refused: the access token goes to the page, not to the API', next: NEXT_ADDRESS } });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD' && !originAllowed(req.headers as { origin?: string; 'sec-fetch-site'?: string }, port)) {
      sendJson(res, 403, { error: { code: 'USAGE', message: 'refused: this request did not come from the wizard page', next: 'Use the wizard page itself.' } });
      return;
    }
    if (isApi && method === 'POST' && url.pathname === '/api/session') {
      const traded = access.trade(stringField(await readJsonBody(req), 'token'));
      if ('refused' in traded) throw new HttpError(403, 'USAGE', REFUSAL[traded.refused], NEXT_ADDRESS);
      return sendJson(res, 200, { key: traded.key });
    }
    if (isApi && !access.allows(req.headers[KEY_HEADER])) {
      // Preflights land here too (no key): no CORS answer, so no other origin may send the header.
      sendJson(res, 403, { error: { code: 'USAGE', message: NO_KEY, next: NEXT_ADDRESS } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const m = router.match(method, url.pathname);
      if (!m) throw new HttpError(404, 'USAGE', `no such address: ${url.pathname}`, 'Go back to the start page.');
      if (m === 'method') throw new HttpError(405, 'USAGE', `${method} is not allowed here`);
      const result = await m.handler({ req, res, params: m.params, query: url.searchParams });
      if (!res.headersSent && !res.writableEnded) sendJson(res, 200, result ?? {});
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'USAGE', `${method} is not allowed here`);
    // A report this wizard wrote, by its capability (the link a tab opens needs no page key).
    if (url.pathname.startsWith(OUT_PREFIX)) return ctx.views.serve(req, res, url.pathname);
    await serveStatic(req, res, url.pathname, webRoot);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => sendError(res, e));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UsageError(`port ${opts.port} on 127.0.0.1 is already in use: choose another with --port, or leave --port out to take a free one`) : e),
    );
    // Loopback only: nothing on the network can reach the wizard.
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  ctx.port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${ctx.port}/`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}?token=${access.current}`,
    newAddress: () => `${origin}?token=${access.issue()}`,
    origin,
    port: ctx.port,
    token: access.current,
    context: ctx,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await ctx.jobs.cancelAll();
        closeAllSse();
        server.closeAllConnections();
        await stopped;
        await ctx.sessions.closeAll();
      })();
      return closing;
    },
  };
}
