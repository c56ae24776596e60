import type { IncomingMessage } from 'node:http';

/** The outcome of {@link readJsonBody}: the parsed value, or the HTTP status and message to refuse with. */
export type JsonBodyOutcome =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413 | 415; message: string; jsonRpcCode: number };

/**
 * Reads a JSON request body of at most `maxBytes`. Refuses early on a `Content-Length` over
 * the limit and stops reading as soon as a streamed body passes it (413).
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<JsonBodyOutcome> {
  const tooLarge = {
    ok: false,
    status: 413,
    message: `Request body too large: the limit is ${maxBytes} bytes`,
    jsonRpcCode: -32600,
  } as const;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, status: 415, message: 'Content-Type must be application/json', jsonRpcCode: -32600 };
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const body = await new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop buffering but leave the socket alone so the 413 response can still be sent.
      request.off('data', onData);
      request.pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
  if (body === undefined) return tooLarge;
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return {
      ok: false,
      status: 400,
      message: 'Parse error: the body is not valid JSON',
      jsonRpcCode: -32700,
    };
  }
}
