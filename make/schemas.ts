/**
 * Make's own schemas of the app format (`../shared/make-schemas/`: MIT, from Make's VS Code
 * extension; PROVENANCE.md there says which schema judges which file). The generated app's tests
 * and the deploy rehearsal's stand-in of Make both judge a file or an uploaded section with
 * them, so "Make would accept it" means one thing in both places.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

/** The schema files, each registered under its own file name (their `$ref`s use bare names). */
export type SchemaFile =
  | 'api.json'
  | 'base.json'
  | 'groups.json'
  | 'parameters.json'
  | 'samples.json'
  | 'makecomapp.schema.json';

/**
 * Which schema judges a file, by the end of its name, as the extension's jsonValidation
 * associations say. A module's static parameters (`*.static-params.iml.json`) are parameters
 * like its mappable ones (the extension's `*.params.iml.json` pattern does not reach them).
 */
const BY_SUFFIX: readonly (readonly [string, SchemaFile])[] = [
  ['makecomapp.json', 'makecomapp.schema.json'],
  ['groups.json', 'groups.json'],
  ['base.iml.json', 'base.json'],
  ['.communication.iml.json', 'api.json'],
  ['.attach.iml.json', 'api.json'],
  ['.detach.iml.json', 'api.json'],
  ['.params.iml.json', 'parameters.json'],
  ['-params.iml.json', 'parameters.json'],
  ['.interface.iml.json', 'parameters.json'],
  ['.samples.iml.json', 'samples.json'],
];

/** The schema that judges a file of the local-development layout; undefined for none (README). */
export const schemaFor = (file: string): SchemaFile | undefined =>
  BY_SUFFIX.find(([suffix]) => file.endsWith(suffix))?.[1];

/** The section of Make's API each schema judges, for sections uploaded without a file name. */
export const SECTION_SCHEMAS = {
  base: 'base.json',
  groups: 'groups.json',
  api: 'api.json',
  attach: 'api.json',
  detach: 'api.json',
  parameters: 'parameters.json',
  expect: 'parameters.json',
  interface: 'parameters.json',
  samples: 'samples.json',
} as const satisfies Record<string, SchemaFile>;

/**
 * `shared/make-schemas` beside the repository (as CI lays it out: `../shared`), or beside a
 * folder above it: Stryker runs the tests in a copy of the repository inside it
 * (`.stryker-tmp/sandbox-…/`), two levels further down. When there is none, the
 * last place looked is returned, and `loadJudge` fails naming it.
 */
export const schemasDir = (root: string): string => {
  const look = (dir: string): string => {
    const candidate = path.join(dir, 'shared', 'make-schemas');
    const parent = path.dirname(dir);
    return fs.existsSync(candidate) || parent === dir ? candidate : look(parent);
  };
  return look(path.dirname(path.resolve(root)));
};

/** One problem a schema found: where in the value, and what. */
export interface SchemaProblem {
  at: string;
  message: string;
}

export type Judge = (schema: SchemaFile, value: unknown) => SchemaProblem[];

const problemOf = (error: ErrorObject): SchemaProblem => {
  const extra: unknown = error.params.additionalProperty;
  return {
    at: error.instancePath || '/',
    message: `${error.message ?? error.keyword}${typeof extra === 'string' ? ` (${extra})` : ''}`,
  };
};

/**
 * Loads every schema of `dir` into one validator (non-strict: the schemas use the extension's
 * own keywords `doNotSuggest` and `errorMessage`) and returns a judge: the problems the schema
 * finds in a value, none when it passes. A missing folder fails loudly: the check never passes
 * by finding nothing to check against.
 */
export const loadJudge = (dir: string): Judge => {
  const files = [
    ...fs.readdirSync(path.join(dir, 'imljson')).map((name) => path.join(dir, 'imljson', name)),
    path.join(dir, 'local-development', 'makecomapp.schema.json'),
  ];
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    // Stryker disable next-line BooleanLiteral: no format is added to ajv (its one format, uri, would be ignored with a warning), so none is checked either way
    validateFormats: false,
    // the schemas write patterns for ECMAScript without the u flag (`\-` in a character list)
    unicodeRegExp: false,
  });
  for (const file of files) {
    ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as object, path.basename(file));
  }
  return (schema, value) => {
    // compiled on first use, then kept by ajv
    const validate = ajv.getSchema(schema);
    if (!validate) throw new Error(`Make's schema ${schema} is not in ${dir}`);
    // Stryker disable next-line ArrayDeclaration: ajv sets errors whenever a value fails
    return validate(value) ? [] : (validate.errors ?? []).map(problemOf);
  };
};
