/**
 * A tiny method + path router: `/api/jobs/:id` patterns, one handler per route. Each area of the
 * wizard (backups, jobs, recover, export, devices, guide) adds its routes from its own module.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type RouteHandler = (ctx: RouteContext) => unknown | Promise<unknown>;

export type Method = 'GET' | 'POST' | 'DELETE';

interface Route {
  method: Method;
  parts: string[];
  handler: RouteHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: Method, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: RouteHandler): this {
    return this.add('POST', pattern, handler);
  }

  /** The matching route, 'method' when only the method differs, or undefined. */
  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string> } | 'method' | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let methodMismatch = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts);
      if (!params) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        methodMismatch = true;
        continue;
      }
      return { handler: r.handler, params };
    }
    return methodMismatch ? 'method' : undefined;
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    let v: string;
    try {
      v = decodeURIComponent(parts[i]);
    } catch {
      return undefined;
    }
    if (p.startsWith(':')) params[p.slice(1)] = v;
    else if (p !== v) return undefined;
  }
  return params;
}
