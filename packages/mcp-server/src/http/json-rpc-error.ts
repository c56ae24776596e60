import type { ServerResponse } from 'node:http';

/**
 * Ends an HTTP response with a JSON-RPC error body. Messages are fixed texts written by this
 * server: no host stack trace or internal detail ever reaches a client.
 */
export function sendJsonRpcError(
  response: ServerResponse,
  status: number,
  message: string,
  options: { code?: number; headers?: Record<string, string> } = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: options.code ?? -32000, message }, id: null });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...options.headers,
  });
  response.end(body);
}
