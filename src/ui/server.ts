/**
 * The local web wizard's server: node:http on 127.0.0.1 only. Every request passes the Host check
 * (DNS rebinding), then the token (first visit, traded for a cookie) or the cookie, then for
 * state-changing requests the Origin check; only then the API routes or the built page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteModule, UiContext, UiOptions } from './context.js';
import { UsageError } from '../errors.js';
import { sendError, sendJson, sendText, HttpError } from './http.js';
import { JobRegistry } from './jobs.js';
import { Router } from './router.js';
import { areaRoutes } from './routes/index.js';
import { systemRoutes } from './routes/system.js';
import { cookieName, hostAllowed, newToken, originAllowed, parseCookies, sameSecret, SECURITY_HEADERS, sessionCookie } from './security.js';
import { SessionStore } from './sessions.js';
import { closeAllSse } from './sse.js';
import { DEFAULT_WEB_ROOT, serveStatic } from './static.js';

export interface UiServerOptions extends Partial<UiOptions> {
  /** 0 picks a free port */
  port?: number;
  /** fixed token (tests); random otherwise */
  token?: string;
  webRoot?: string;
  /** route modules in addition to the built-in areas (recover, export, devices, guide as they land) */
  modules?: RouteModule[];
}

export interface UiServer {
  /** the URL to open, token included */
  url: string;
  /** the URL without the token */
  origin: string;
  port: number;
  token: string;
  context: UiContext;
  close(): Promise<void>;
}

const FORBIDDEN_PAGE = 'This address needs the access token. Open the full address that `irescue ui` printed in the terminal (it ends in ?token=...).';

export async function startUiServer(opts: UiServerOptions = {}): Promise<UiServer> {
  const token = opts.token ?? newToken();
  const cookieSecret = newToken();
  const webRoot = opts.webRoot ?? DEFAULT_WEB_ROOT;
  const router = new Router();
  const ctx: UiContext = {
    port: 0,
    options: { roots: opts.roots ?? [], includeDefaultRoots: opts.includeDefaultRoots ?? true, demoRoot: opts.demoRoot, devices: opts.devices, deviceSources: opts.deviceSources, cacheDir: opts.cacheDir },
    jobs: new JobRegistry(),
    sessions: new SessionStore(),
    outputs: new Set(),
  };
  const modules = [...areaRoutes, ...(opts.modules ?? [])];
  const features = () => modules.map((m) => m.feature);
  for (const m of [systemRoutes(features), ...modules]) m.register(router, ctx);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const port = ctx.port;
    if (!hostAllowed(req.headers.host, port)) {
      sendText(res, 403, `Refused: this wizard answers only at http://127.0.0.1:${port}/ (wrong Host header).`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!sameSecret(given, token) || (req.method !== 'GET' && req.method !== 'HEAD')) {
        sendText(res, 403, FORBIDDEN_PAGE);
        return;
      }
      // Trade the token for a cookie and drop it from the address bar and the history.
      url.searchParams.delete('token');
      res.writeHead(303, { 'Set-Cookie': sessionCookie(port, cookieSecret), Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!sameSecret(parseCookies(req.headers.cookie).get(cookieName(port)), cookieSecret)) {
      sendText(res, 403, FORBIDDEN_PAGE);
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !originAllowed(req.headers as { origin?: string; 'sec-fetch-site'?: string }, port)) {
      sendJson(res, 403, { error: { code: 'USAGE', message: 'refused: this request did not come from the wizard page', next: 'Use the wizard page itself.' } });
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
    url: `${origin}?token=${token}`,
    origin,
    port: ctx.port,
    token,
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
