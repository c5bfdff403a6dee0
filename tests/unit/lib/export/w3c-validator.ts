import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

/**
 * Validates JSON against the W3C Web Annotation test-suite assertions in
 * tests/fixtures/w3c-annotation (copied unchanged from w3c/web-annotation-tests;
 * see its README.md and LICENSE.md). Each assertion is a draft-04 schema, listed
 * by the `*Musts.test` files. Workarounds for the upstream defects the README lists:
 * - Some assertion files carry another file's `id` (`4.3.3-refinedByValidated.json`
 *   has the id of `4.3-stateValidated`), and two schemas with one id cannot share a
 *   validator: each assertion is compiled under its own file name instead.
 * - The definitions use the draft-04 formats `uri` and `date-time`; ajv ships no
 *   format implementations, so both are defined here after RFC 3986 and RFC 3339.
 * - Assertions add non-schema keys (`assertionType`, `errorMessage`, …): strict mode is off.
 */

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/w3c-annotation');

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export interface Assertion {
  file: string;
  title: string;
  validate: ValidateFunction;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** A validator with every definition schema added under its id. */
function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajv.addFormat('uri', (s: string) => URI.test(s));
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
  for (const file of fs.readdirSync(path.join(FIXTURES, 'definitions'))) {
    if (file.endsWith('.json')) ajv.addSchema(readJson(path.join('definitions', file)));
  }
  return ajv;
}

/** Every assertion that a `.test` list names, compiled. */
export function loadAssertions(testList: string): Assertion[] {
  const ajv = makeAjv();
  const list = readJson(testList) as { assertions: string[] };
  return list.assertions.map((file) => {
    const schema: Record<string, unknown> = { ...readJson(file), id: path.basename(file) };
    return { file, title: String(schema.title ?? file), validate: ajv.compile(schema) };
  });
}

/** The assertions `json` fails, with ajv's reasons: empty when it passes them all. */
export function failures(assertions: readonly Assertion[], json: unknown): string[] {
  const out: string[] = [];
  for (const a of assertions) {
    if (!a.validate(json)) out.push(`${a.file}: ${JSON.stringify(a.validate.errors?.slice(0, 3))}`);
  }
  return out;
}
