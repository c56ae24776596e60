import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_SESSIONS } from '../defaults.js';
import { type Logger, silentLogger } from '../logger.js';
import { createJsboxMcpServer, type JsboxMcpServerOptions } from '../server.js';
import { assertTokenForHost, createBearerCheck } from './auth.js';
import { checkHostAndOrigin, createHostPolicy } from './host-validation.js';
import { sendJsonRpcError } from './json-rpc-error.js';
import { readJsonBody } from './request-body.js';

/** The path the MCP endpoint is served on. */
export const MCP_HTTP_PATH = '/mcp';

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions extends Omit<JsboxMcpServerOptions, 'logger'> {
  /** Address to bind. Default `127.0.0.1`. A non-loopback address requires `token`. */
  host?: string;
  /** Port; `0` picks a free one. Default 3000. */
  port?: number;
  /** Bearer token clients must send (`Authorization: Bearer <token>`). Required off loopback. */
  token?: string;
  /** Extra host names accepted in `Host`/`Origin` (loopback names and the bind address always are). */
  allowedHosts?: readonly string[];
  /** Extra full origins accepted in `Origin`. */
  allowedOrigins?: readonly string[];
  /** Largest request body accepted; bigger ones get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Concurrent MCP sessions; more initialize requests get 503. Default 64. */
  maxSessions?: number;
  /** A session with no open request for this long is closed. Default 30 minutes. */
  sessionIdleMs?: number;
  logger?: Logger;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: URL;
  readonly port: number;
  /** Sessions open now. */
  readonly sessionCount: number;
  /**
   * Stops accepting connections and waits until no POST is being answered, at most `timeoutMs`.
   * Sessions stay open, so calls in flight still get their answers; call before {@link close}
   * when shutting down, or those calls are dropped unanswered.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Closes every session and the listener. Does not dispose the sandbox. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  openRequests: number;
  lastSeenMs: number;
}

/** JSON-RPC ids of the requests in a POST body, to cancel them if the client goes away. */
function requestIds(body: unknown): Array<string | number> {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) =>
    typeof message === 'object' &&
    message !== null &&
    'method' in message &&
    'id' in message &&
    (typeof message.id === 'string' || typeof message.id === 'number')
      ? [message.id]
      : [],
  );
}

/**
 * Serves the MCP tools over Streamable HTTP at {@link MCP_HTTP_PATH}, one stateful session per
 * client. Every request passes, in order: `Host`/`Origin` validation (403), the bearer token
 * when one is set (401), the body size limit (413). A client that disconnects mid-call has
 * its executions cancelled.
 *
 * @example
 * const running = await startHttpServer({ sandbox, port: 0 });
 * console.log(running.url.href); // http://127.0.0.1:PORT/mcp
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  assertTokenForHost(host, options.token);
  const policy = createHostPolicy({
    bindHost: host,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  const isAuthorized = options.token ? createBearerCheck(options.token) : () => true;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessionIdleMs = options.sessionIdleMs ?? 30 * 60_000;
  const sessions = new Map<string, Session>();

  async function openSession(
    request: IncomingMessage,
    response: ServerResponse,
    body: unknown,
  ): Promise<void> {
    if (sessions.size >= maxSessions) {
      sendJsonRpcError(response, 503, `Too many sessions (limit ${maxSessions}); retry later`);
      return;
    }
    const server = createJsboxMcpServer({
      sandbox: options.sandbox,
      logger,
      ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
      ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
      ...(options.maxPerClient !== undefined ? { maxPerClient: options.maxPerClient } : {}),
      ...(options.limitCaps !== undefined ? { limitCaps: options.limitCaps } : {}),
    });
    const session: Session = {
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, session);
          logger.debug(`session ${id} opened (${sessions.size} open)`);
        },
      }),
      openRequests: 0,
      lastSeenMs: Date.now(),
    };
    session.transport.onclose = () => {
      const id = session.transport.sessionId;
      if (id !== undefined && sessions.get(id) === session) sessions.delete(id);
      logger.debug(`session ${id ?? '(uninitialized)'} closed`);
      void server.close().catch(() => {});
    };
    await server.connect(session.transport);
    await session.transport.handleRequest(request, response, body);
    if (session.transport.sessionId === undefined) await session.transport.close();
  }

  async function handleSessionRequest(
    session: Session,
    request: IncomingMessage,
    response: ServerResponse,
    body?: unknown,
  ): Promise<void> {
    session.openRequests++;
    session.lastSeenMs = Date.now();
    const ids = body === undefined ? [] : requestIds(body);
    response.once('close', () => {
      session.openRequests--;
      session.lastSeenMs = Date.now();
      if (response.writableFinished || ids.length === 0) return;
      // The client went away before its answer: cancel those calls as if it had sent notifications/cancelled.
      for (const requestId of ids) {
        const cancel: JSONRPCMessage = {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId, reason: 'HTTP client disconnected' },
        };
        session.transport.onmessage?.(cancel);
      }
    });
    await session.transport.handleRequest(request, response, body);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const refusal = checkHostAndOrigin(
      { host: request.headers.host, origin: request.headers.origin },
      policy,
    );
    if (refusal) {
      logger.warn(`refused ${request.method} ${path}: ${refusal}`);
      sendJsonRpcError(response, 403, `Forbidden: ${refusal}`);
      return;
    }
    if (!isAuthorized(request.headers.authorization)) {
      sendJsonRpcError(response, 401, 'Unauthorized: send Authorization: Bearer <token>', {
        headers: { 'www-authenticate': 'Bearer' },
      });
      return;
    }
    if (path !== MCP_HTTP_PATH) {
      sendJsonRpcError(response, 404, `Not found: the MCP endpoint is ${MCP_HTTP_PATH}`);
      return;
    }
    const sessionHeader = request.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (sessionId !== undefined && session === undefined) {
      sendJsonRpcError(response, 404, 'Session not found; initialize a new session', { code: -32001 });
      return;
    }
    if (request.method === 'POST') {
      const body = await readJsonBody(request, maxBodyBytes);
      if (!body.ok) {
        sendJsonRpcError(response, body.status, body.message, {
          code: body.jsonRpcCode,
          ...(body.status === 413 ? { headers: { connection: 'close' } } : {}),
        });
        return;
      }
      if (session) return handleSessionRequest(session, request, response, body.value);
      if (isInitializeRequest(body.value)) return openSession(request, response, body.value);
      sendJsonRpcError(response, 400, 'Bad request: no session; send an initialize request first');
      return;
    }
    if (request.method === 'GET' || request.method === 'DELETE') {
      if (!session) {
        sendJsonRpcError(response, 400, 'Bad request: the Mcp-Session-Id header is required');
        return;
      }
      return handleSessionRequest(session, request, response);
    }
    sendJsonRpcError(response, 405, 'Method not allowed: use POST, GET or DELETE', {
      headers: { allow: 'POST, GET, DELETE' },
    });
  }

  const answering = new Set<ServerResponse>();
  const httpServer: Server = createServer((request, response) => {
    if (request.method === 'POST') {
      answering.add(response);
      response.once('close', () => answering.delete(response));
    }
    route(request, response).catch((error: unknown) => {
      logger.error(
        `HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendJsonRpcError(response, 500, 'Internal server error', { code: -32603 });
    });
  });
  httpServer.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (session.openRequests === 0 && now - session.lastSeenMs > sessionIdleMs) {
          logger.info(`closing idle session ${id}`);
          void session.transport.close().catch(() => {});
        }
      }
    },
    Math.min(60_000, sessionIdleMs),
  );
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 3000, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = new URL(`http://${urlHost}:${address.port}${MCP_HTTP_PATH}`);
  logger.info(`serving MCP over HTTP at ${url.href}${options.token ? ' (bearer token required)' : ''}`);

  return {
    url,
    port: address.port,
    get sessionCount() {
      return sessions.size;
    },
    async drain(timeoutMs) {
      if (httpServer.listening) httpServer.close();
      const deadline = Date.now() + timeoutMs;
      while (answering.size > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      clearInterval(sweep);
      await Promise.allSettled([...sessions.values()].map((session) => session.transport.close()));
      sessions.clear();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
