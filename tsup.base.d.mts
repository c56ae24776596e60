import type { Options } from 'tsup';
export function packageConfig(entry: string[] | Record<string, string>, overrides?: Options): Options;
