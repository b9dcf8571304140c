import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { requestIdHeader } from '../middleware/request-id.js';
import { problemContentType } from './error-boundary.js';
import { problemTypeForStatus, problemTypeUri, titleFor } from './problem-types.js';

// Node's parser codes for requests that never reach Koa, and the status each deserves.
const statusFor: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Answers requests Node's HTTP parser refuses (oversized headers, bare CR or LF in a header, a broken request
 * line or chunk) as problem+json like every other error. Node's default answer is a bare status line without
 * a body; these never reach the Koa pipeline, so the error boundary cannot dress them.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Like Node's own handler: never write over a response that has already started on this socket.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = statusFor[error.code ?? ''] ?? 400;
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: problemTypeUri(problemTypeForStatus(status)),
    title: titleFor(status),
    status,
    detail: 'The request could not be parsed as HTTP/1.1.',
    requestId,
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${titleFor(status)}`,
      `Content-Type: ${problemContentType}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `${requestIdHeader}: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
