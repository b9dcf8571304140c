// Baseline: node:http answering the same JSON, the ceiling for any Node framework on this machine.
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'ok', version: 'bench', tier: 'bench' });
createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
