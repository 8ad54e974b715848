import { createReadStream, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Content types of the files a Vite build emits. Module scripts and workers must be served as JavaScript. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/**
 * The file under `root` that a request path names (`/` → index.html), or null when the path escapes `root`
 * (`/../secret`) or is malformed.
 */
export function resolveRequestPath(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const base = resolve(root);
  const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** Serves the files of `root` on 127.0.0.1 (`port` 0 picks a free one) for GET and HEAD; everything else is 404/405. */
export function serveStatic(root: string, port = 0): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveRequestPath(root, req.url ?? '/');
    let size = -1;
    try {
      if (file) {
        const st = statSync(file);
        if (st.isFile()) size = st.size;
      }
    } catch {
      // a missing file is a 404 below
    }
    if (!file || size < 0) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      done({
        url: `http://127.0.0.1:${actual}/`,
        close: () =>
          new Promise<void>((closed) => {
            server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    });
  });
}
