// Serves a GOPROXY folder over HTTP on 127.0.0.1. Builds run with --network=host, so the
// container's `go` reaches it at the same address.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

export interface ServedProxy {
  url: string;
  /** Requests answered so far, for the report: a naive rebuild downloads every module again. */
  requests: () => number;
  close: () => Promise<void>;
}

export function serveProxy(proxyDir: string, port: number): Promise<ServedProxy> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    const rel = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname);
    const file = path.join(proxyDir, path.normalize(rel));
    if (!file.startsWith(proxyDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      // 404 tells `go` the module does not exist here, so it tries the next candidate path.
      response.writeHead(404).end('not found');
      return;
    }
    const type = file.endsWith('.zip') ? 'application/zip' : file.endsWith('.info') ? 'application/json' : 'text/plain';
    response.writeHead(200, { 'content-type': type, 'content-length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${port}`,
      requests: () => requests,
      close: () => new Promise((done) => server.close(() => done())),
    }));
  });
}
