import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, createHostPolicy, isLoopbackHost } from '../src/http/host-validation.js';

describe('host and origin validation', () => {
  const loopback = createHostPolicy({ bindHost: '127.0.0.1' });

  it('accepts loopback names with any port, and no Origin', () => {
    for (const host of ['localhost:3000', '127.0.0.1:8080', '[::1]:3000', 'LOCALHOST']) {
      expect(checkHostAndOrigin({ host }, loopback)).toBeUndefined();
    }
  });

  it('refuses other or missing hosts (DNS rebinding)', () => {
    expect(checkHostAndOrigin({ host: 'evil.example:3000' }, loopback)).toContain(
      '"evil.example" is not allowed',
    );
    expect(checkHostAndOrigin({ host: '127.0.0.1.nip.io' }, loopback)).toContain('not allowed');
    expect(checkHostAndOrigin({}, loopback)).toBe('missing Host header');
    expect(checkHostAndOrigin({ host: 'a b' }, loopback)).toBe('malformed Host header');
  });

  it('refuses foreign origins and accepts local or listed ones', () => {
    expect(
      checkHostAndOrigin({ host: 'localhost', origin: 'http://localhost:5173' }, loopback),
    ).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'https://evil.example' }, loopback)).toContain(
      'Origin "https://evil.example" is not allowed',
    );
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'null' }, loopback)).toBe(
      'malformed Origin header',
    );
    const listed = createHostPolicy({ bindHost: '127.0.0.1', allowedOrigins: ['https://app.example/'] });
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'https://app.example' }, listed)).toBeUndefined();
  });

  it('adds the bind address and extra hosts, but not a wildcard', () => {
    const lan = createHostPolicy({ bindHost: '192.168.1.5', allowedHosts: ['box.lan'] });
    expect(checkHostAndOrigin({ host: '192.168.1.5:3000' }, lan)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'box.lan' }, lan)).toBeUndefined();
    const wildcard = createHostPolicy({ bindHost: '0.0.0.0' });
    expect(checkHostAndOrigin({ host: '0.0.0.0:3000' }, wildcard)).toContain('not allowed');
  });

  it('knows loopback addresses', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
