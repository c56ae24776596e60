import { isIP } from 'node:net';

/** Host names every loopback server accepts in `Host` and `Origin`. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True for `localhost`, `127.0.0.0/8` and `::1` (brackets optional). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** True for the "every interface" addresses. */
export function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::';
}

/** The `Host` form of a name: IPv6 addresses in brackets, lower case. */
export function hostnameForm(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

/** Which `Host` and `Origin` values a server accepts (DNS-rebinding protection). */
export interface HostPolicy {
  /** Host names (no port) accepted in `Host`, and as the host of an `Origin`. */
  allowedHostnames: ReadonlySet<string>;
  /** Full origins (`https://app.example`) accepted in `Origin` besides those on allowed host names. */
  allowedOrigins: ReadonlySet<string>;
}

/**
 * The policy for a server bound to `bindHost`: loopback names, the bind address unless it is a
 * wildcard, and the extra names and origins given.
 */
export function createHostPolicy(options: {
  bindHost: string;
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
}): HostPolicy {
  const hostnames = new Set(LOOPBACK_HOSTNAMES);
  if (!isWildcardHost(options.bindHost)) hostnames.add(hostnameForm(options.bindHost));
  for (const host of options.allowedHosts ?? []) hostnames.add(hostnameForm(host));
  const origins = new Set((options.allowedOrigins ?? []).map((origin) => new URL(origin).origin));
  return { allowedHostnames: hostnames, allowedOrigins: origins };
}

/** Why a request was refused, or `undefined` when its `Host` and `Origin` are acceptable. */
export function checkHostAndOrigin(
  headers: { host?: string | undefined; origin?: string | undefined },
  policy: HostPolicy,
): string | undefined {
  if (!headers.host) return 'missing Host header';
  let hostname: string;
  try {
    hostname = new URL(`http://${headers.host}`).hostname.toLowerCase();
  } catch {
    return 'malformed Host header';
  }
  if (!policy.allowedHostnames.has(hostname)) return `Host ${JSON.stringify(hostname)} is not allowed`;
  if (headers.origin === undefined) return undefined;
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return 'malformed Origin header';
  }
  if (policy.allowedOrigins.has(origin.origin)) return undefined;
  if (policy.allowedHostnames.has(origin.hostname.toLowerCase())) return undefined;
  return `Origin ${JSON.stringify(headers.origin)} is not allowed`;
}
