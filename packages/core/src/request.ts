import { z } from 'zod';
import { InvalidRequestError, type ValidationIssue } from './errors.js';
import { type JsonValue, measureJson } from './json.js';
import {
  type Limits,
  limitsOverrideSchema,
  type PresetName,
  presetNameSchema,
  resolveLimits,
} from './limits.js';

/** Source languages a request may use. TypeScript is type-stripped, not type-checked. */
export type Language = 'javascript' | 'typescript';

/** Maximum nesting depth of the `input` value. */
export const MAX_INPUT_DEPTH = 256;

/**
 * What a caller asks a sandbox to run.
 *
 * @example
 * const request: ExecutionRequest = { code: 'input.a + 1', input: { a: 41 }, preset: 'restrictive' };
 */
export interface ExecutionRequest {
  /** The program. Its value is the value of the last expression statement (or what a promise resolves to). */
  code: string;
  /** `'javascript'` (default) or `'typescript'`. */
  language?: Language;
  /** Any JSON value; the guest sees it as the global `input` (and as JSON text on stdin). */
  input?: JsonValue;
  /** Named limit preset; `'default'` when absent. */
  preset?: PresetName;
  /** Overrides of single limits on top of the preset. */
  limits?: Partial<Limits>;
  /** File name shown in guest stack traces; `'main.js'` by default. */
  filename?: string;
}

/** A validated request with every limit resolved: what a backend receives. */
export interface ResolvedExecutionRequest {
  code: string;
  language: Language;
  /** `input` as JSON text, or `undefined` when the request had no input. */
  inputJson: string | undefined;
  limits: Limits;
  filename: string;
}

/** zod schema of {@link ExecutionRequest}; unknown fields are rejected. */
export const executionRequestSchema = z
  .object({
    code: z.string({ error: 'code must be a string of JavaScript or TypeScript source' }),
    language: z
      .enum(['javascript', 'typescript'], {
        error: (issue) =>
          `unknown language ${JSON.stringify(issue.input)}; valid languages: javascript, typescript`,
      })
      .optional(),
    input: z.unknown().optional(),
    preset: presetNameSchema.optional(),
    limits: limitsOverrideSchema.optional(),
    filename: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w.\-/<>]+$/, 'filename may only hold letters, digits and . _ - / < >')
      .optional(),
  })
  .strict();

function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`
        : issue.message;
    return { path, message };
  });
}

/** Converts a zod error into jsbox validation issues (paths dotted, messages readable). */
export { zodIssues as validationIssuesFromZod };

/** Finds a lone UTF-16 surrogate (text that is not valid Unicode, e.g. from invalid UTF-8). */
export function findLoneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
      return index;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return index;
  }
  return -1;
}

function checkCodeText(code: string, issues: ValidationIssue[]): void {
  if (code.trim() === '') issues.push({ path: 'code', message: 'code must not be empty' });
  const nul = code.indexOf('\u0000');
  if (nul !== -1) issues.push({ path: 'code', message: `code contains a NUL character at offset ${nul}` });
  const surrogate = findLoneSurrogate(code);
  if (surrogate !== -1) {
    issues.push({
      path: 'code',
      message: `code is not valid Unicode (lone surrogate at offset ${surrogate})`,
    });
  }
}

/**
 * Validates an untrusted request and resolves its limits. Throws {@link InvalidRequestError}
 * listing every problem. The code-size limit is *not* checked here: an over-size program is
 * a guest failure (`resource` / `code_size`), see {@link preflight}.
 */
export function resolveExecutionRequest(
  raw: unknown,
  defaults: { preset?: PresetName; limits?: Partial<Limits> } = {},
): ResolvedExecutionRequest {
  const parsed = executionRequestSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidRequestError(zodIssues(parsed.error));
  const request = parsed.data;
  const issues: ValidationIssue[] = [];
  checkCodeText(request.code, issues);
  const limits = resolveLimits(request.preset ?? defaults.preset ?? 'default', {
    ...defaults.limits,
    ...request.limits,
  });
  let inputJson: string | undefined;
  if (request.input !== undefined) {
    const measured = measureJson(request.input, MAX_INPUT_DEPTH);
    if (!measured.ok) {
      const where = measured.problem.path ? ` at ${measured.problem.path}` : '';
      issues.push({
        path: 'input',
        message: `input must be a JSON value: ${measured.problem.message}${where}`,
      });
    } else if (measured.bytes > limits.maxInputBytes) {
      issues.push({
        path: 'input',
        message: `input is ${measured.bytes} bytes of JSON; the limit is ${limits.maxInputBytes} (maxInputBytes)`,
      });
    } else {
      inputJson = measured.text;
    }
  }
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return {
    code: request.code,
    language: request.language ?? 'javascript',
    inputJson,
    limits,
    filename: request.filename ?? (request.language === 'typescript' ? 'main.ts' : 'main.js'),
  };
}
