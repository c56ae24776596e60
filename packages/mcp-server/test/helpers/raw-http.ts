import { request } from 'node:http';

/** A raw HTTP exchange with full control of headers (fetch will not let a test forge `Host`). */
export function rawPost(
  url: URL,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const body = options.body ?? JSON.stringify(initializeMessage());
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': String(Buffer.byteLength(body)),
          ...options.headers,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text, headers: response.headers }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A valid `initialize` request. */
export function initializeMessage(): object {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  };
}

/** Opens an MCP session by hand and returns its id. */
export async function openRawSession(url: URL): Promise<string> {
  const init = await rawPost(url);
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string')
    throw new Error(`initialize failed: ${init.body}`);
  const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
  const initialized = await rawPost(url, {
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (initialized.status !== 202) throw new Error(`initialized notification failed: ${initialized.status}`);
  return sessionId;
}

/** Posts a JSON-RPC request on a session and drops the connection after `afterMs`, unanswered. */
export function postAndDisconnect(
  url: URL,
  sessionId: string,
  message: object,
  afterMs: number,
): Promise<void> {
  const body = JSON.stringify(message);
  return new Promise((resolve) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': String(Buffer.byteLength(body)),
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
    });
    outgoing.on('error', () => {});
    outgoing.end(body);
    setTimeout(() => {
      outgoing.destroy();
      resolve();
    }, afterMs);
  });
}
