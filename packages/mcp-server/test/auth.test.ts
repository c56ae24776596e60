import { InvalidOptionsError } from '@jsbox/core';
import { describe, expect, it } from 'vitest';
import { assertTokenForHost, createBearerCheck } from '../src/http/auth.js';

describe('bearer token', () => {
  const isAuthorized = createBearerCheck('a-long-enough-secret-token');

  it('accepts exactly the token, case-insensitive scheme', () => {
    expect(isAuthorized('Bearer a-long-enough-secret-token')).toBe(true);
    expect(isAuthorized('bearer a-long-enough-secret-token')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer a-long-enough-secret-toke',
      'Bearer a-long-enough-secret-token-and-more',
      'Basic a-long-enough-secret-token',
      'a-long-enough-secret-token',
      'Bearer a-long-enough-secret-token extra',
    ]) {
      expect(isAuthorized(header)).toBe(false);
    }
  });

  it('refuses a non-loopback bind without a token', () => {
    expect(() => assertTokenForHost('0.0.0.0', undefined)).toThrow(InvalidOptionsError);
    expect(() => assertTokenForHost('0.0.0.0', undefined)).toThrow(/JSBOX_MCP_TOKEN/);
    expect(() => assertTokenForHost('127.0.0.1', undefined)).not.toThrow();
    expect(() => assertTokenForHost('0.0.0.0', 'a-long-enough-secret-token')).not.toThrow();
  });
});
