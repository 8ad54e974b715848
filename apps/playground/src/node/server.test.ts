import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, resolveRequestPath, serveStatic } from './server.js';

describe('static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'elman-serve-'));
  let server: StaticServer;
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(root, 'assets', 'worker-x.js'), 'postMessage(1);');
    server = await serveStatic(root);
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('maps request paths inside the root only', () => {
    expect(resolveRequestPath('/srv', '/')).toBe('/srv/index.html');
    expect(resolveRequestPath('/srv', '/a/b.js?v=1#x')).toBe('/srv/a/b.js');
    expect(resolveRequestPath('/srv', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveRequestPath('/srv', '/../srv2/x')).toBeNull();
    expect(resolveRequestPath('/srv', '/%E0%A4%A')).toBeNull();
  });

  it('serves index.html and module scripts with their content types on an ephemeral localhost port', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>t</title>');
    const js = await fetch(new URL('assets/worker-x.js', server.url));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('postMessage(1);');
  });

  it('answers 404 for missing files and folders, 405 for other methods', async () => {
    expect((await fetch(new URL('nope.js', server.url))).status).toBe(404);
    expect((await fetch(new URL('assets', server.url))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    const head = await fetch(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('31');
  });
});
