/**
 * The committed Make app (make/app/), read as the contract tests judge it: its manifest's
 * components and each code section parsed, with small readers that fail with the path they
 * expected (the files are JSON whose shape the tests must check, not assume).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRecord } from '../../core/inputs';
import { APP_DIR } from '../../make/generate';
import { readManifest, type DeployComponent } from '../../make/manifest';

export const record = (value: unknown, where: string): Record<string, unknown> => {
  if (!isRecord(value)) throw new Error(`${where} is not an object`);
  return value;
};

export const list = (value: unknown, where: string): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`${where} is not a list`);
  return value;
};

export const readJson = (file: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(APP_DIR, file), 'utf8'));

export const manifest = readManifest(
  fs.readFileSync(path.join(APP_DIR, 'makecomapp.json'), 'utf8'),
);

export const components = (kind: DeployComponent['kind']): DeployComponent[] =>
  manifest.components.filter((component) => component.kind === kind);

/** One code section of a component, parsed (undefined when the component has none). */
export const code = (component: DeployComponent, name: string): unknown => {
  const file = component.codeFiles[name];
  return file === undefined ? undefined : readJson(file);
};

/** The names of a parameter list (an interface, a module's parameters). */
export const names = (params: unknown, where: string): string[] =>
  list(params, where).map((param, i) => {
    const name = record(param, `${where}[${String(i)}]`).name;
    if (typeof name !== 'string') throw new Error(`${where}[${String(i)}] has no name`);
    return name;
  });

/** A parameter list as a tree of names: a collection's fields under its name. */
export interface NameTree {
  [name: string]: NameTree | null;
}

export const paramTree = (params: unknown, where: string): NameTree =>
  Object.fromEntries(
    list(params, where).map((param, i) => {
      const p = record(param, `${where}[${String(i)}]`);
      const name = String(p.name);
      return [
        name,
        p.type === 'collection' && Array.isArray(p.spec)
          ? paramTree(p.spec, `${where}.${name}`)
          : null,
      ];
    }),
  );

/** A value's keys as the same tree (an object's keys, nested objects under their key). */
export const keyTree = (value: unknown, where: string): NameTree =>
  Object.fromEntries(
    Object.entries(record(value, where)).map(([key, inner]) => [
      key,
      isRecord(inner) ? keyTree(inner, `${where}.${key}`) : null,
    ]),
  );

/** The paths of a tree that `other` lacks (`client.firstName`). */
export const missingFrom = (tree: NameTree, other: NameTree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([name, inner]) => {
    const here = `${prefix}${name}`;
    if (!(name in other)) return [here];
    const there = other[name];
    if (inner && there) return missingFrom(inner, there, `${here}.`);
    return inner && Object.keys(inner).length > 0 && !there ? [here] : [];
  });
