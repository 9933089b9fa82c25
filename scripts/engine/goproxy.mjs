// Serves a folder with a GOPROXY's layout (the module cache's cache/download) over HTTP on a
// loopback address: the Go module proxy that builds use offline. Plain Node, no dependencies.
// Usage: node goproxy.mjs DIR [HOST:PORT]
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const [host, port] = (process.argv[3] ?? '127.0.0.1:5001').split(':');

const TYPES = { '.zip': 'application/zip', '.info': 'application/json', '.mod': 'text/plain; charset=utf-8' };

const server = http.createServer((request, response) => {
  let rel;
  try {
    rel = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname);
  } catch {
    response.writeHead(400).end('bad request');
    return;
  }
  const file = path.join(root, path.normalize(rel));
  let stat;
  try {
    stat = file.startsWith(root + path.sep) ? fs.statSync(file) : undefined;
  } catch {
    stat = undefined;
  }
  // 404 tells `go` the module is not here, so it tries the next candidate module path.
  if (!stat?.isFile() || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404).end('not found');
    return;
  }
  response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/plain; charset=utf-8', 'content-length': stat.size });
  if (request.method === 'HEAD') response.end();
  else fs.createReadStream(file).pipe(response);
});
server.listen(Number(port), host, () => console.log(`serving ${root} on http://${host}:${port}`));
