/*
 * The official SARIF 2.1.0 schema (as shipped by @microsoft/jest-sarif),
 * compiled for the tests that validate SARIF reports.
 */
import * as fs from 'fs';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** A validator for the SARIF 2.1.0 schema. */
export function sarifValidator(): ValidateFunction {
  const file = require.resolve(
    '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
  );
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  // A draft-04 document: Ajv 8 reads it once the draft-04 markers are renamed.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
