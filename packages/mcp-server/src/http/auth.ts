import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidOptionsError } from '@jsbox/core';
import { isLoopbackHost } from './host-validation.js';

/** The environment variable holding the HTTP bearer token. */
export const TOKEN_ENV_VARIABLE = 'JSBOX_MCP_TOKEN';

/** Shortest token accepted, so a trivial value cannot pass for protection. */
export const MIN_TOKEN_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Returns a checker of `Authorization` header values against `Bearer <token>`. Both sides are
 * hashed to equal length and compared with `timingSafeEqual`, so the time taken says nothing
 * about how much of the token matched.
 *
 * @example
 * const isAuthorized = createBearerCheck(process.env.JSBOX_MCP_TOKEN!);
 * isAuthorized(req.headers.authorization) // true or false
 */
export function createBearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    const given = digest(match?.[1] ?? '');
    return timingSafeEqual(given, expected) && match !== null;
  };
}

/**
 * Throws {@link InvalidOptionsError} when `host` is not a loopback address and no token is set:
 * anyone who can reach such an address could otherwise run code on this machine.
 */
export function assertTokenForHost(host: string, token: string | undefined): void {
  if (token || isLoopbackHost(host)) return;
  throw new InvalidOptionsError([
    {
      path: 'token',
      message: `refusing to serve on non-loopback address ${host} without a bearer token; set ${TOKEN_ENV_VARIABLE} (at least ${MIN_TOKEN_LENGTH} characters) or bind 127.0.0.1`,
    },
  ]);
}
