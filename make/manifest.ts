/**
 * Reading makecomapp.json back (the deploy and the rehearsal deploy what the files say, as Make's
 * VS Code extension would): only what they use, each part checked, so a hand-edited or broken
 * manifest stops with a sentence naming the part, never a crash halfway through a deploy.
 */
import { isRecord } from '../core/inputs';
import { CODES, type ComponentKind } from './layout';

/** A component as the deploy needs it. */
export interface DeployComponent {
  kind: 'connection' | 'webhook' | 'module';
  id: string;
  label: string;
  description?: string;
  connectionType?: string;
  webhookType?: string;
  moduleType?: string;
  actionCrud?: string;
  connection?: string;
  webhook?: string;
  /** Code type (makecomapp.json's) → file path, relative to the app folder. */
  codeFiles: Record<string, string>;
}

export interface DeployManifest {
  general: { base: string; groups: string; readme: string };
  components: DeployComponent[];
}

const DEPLOYED_KINDS = [
  'connection',
  'webhook',
  'module',
] as const satisfies readonly (keyof typeof CODES & ComponentKind)[];

/** The kinds Make's manifest lists that this deploy does not deploy: they must be empty. */
const UNDEPLOYED_KINDS = [
  'rpc',
  'function',
  'endpoint',
] as const satisfies readonly ComponentKind[];

const OPTIONAL_TEXTS = [
  'description',
  'connectionType',
  'webhookType',
  'moduleType',
  'actionCrud',
  'connection',
  'webhook',
] as const;

const textAt = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value === '')
    throw new Error(`makecomapp.json: ${where} must be a non-empty text`);
  return value;
};

const componentOf = (kind: DeployComponent['kind'], id: string, meta: unknown): DeployComponent => {
  const where = `components.${kind}.${id}`;
  if (!isRecord(meta) || !isRecord(meta.codeFiles))
    throw new Error(`makecomapp.json: ${where} has no codeFiles`);
  const codeFiles: Record<string, string> = {};
  for (const [code, file] of Object.entries(meta.codeFiles)) {
    if (file === null) continue;
    if (!Object.hasOwn(CODES[kind], code))
      throw new Error(`makecomapp.json: ${where}.codeFiles.${code} is not a ${kind} code`);
    codeFiles[code] = textAt(file, `${where}.codeFiles.${code}`);
  }
  const component: DeployComponent = {
    kind,
    id,
    label: textAt(meta.label, `${where}.label`),
    codeFiles,
  };
  for (const key of OPTIONAL_TEXTS) {
    if (meta[key] !== undefined) component[key] = textAt(meta[key], `${where}.${key}`);
  }
  // Make's tooling refuses to create an instant trigger without the webhook it listens on
  if (component.moduleType === 'instant_trigger' && component.webhook === undefined)
    throw new Error(`makecomapp.json: ${where} is an instant trigger without its webhook`);
  return component;
};

/**
 * The sections of Make that a component's code files go to, each with its file, in the layout's
 * order (the manifest names only codes of the layout: `componentOf` refuses any other).
 */
export const sectionFiles = (component: DeployComponent): (readonly [string, string])[] =>
  Object.entries<readonly [string, string]>(CODES[component.kind]).flatMap(
    ([code, [, section]]): (readonly [string, string])[] => {
      const file = component.codeFiles[code];
      return file === undefined ? [] : [[section, file]];
    },
  );

/** The manifest's general files and components, connections first (the others name them). */
export const readManifest = (text: string): DeployManifest => {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !isRecord(parsed.generalCodeFiles) || !isRecord(parsed.components)) {
    throw new Error('makecomapp.json: generalCodeFiles and components are required');
  }
  const general = parsed.generalCodeFiles;
  const { components } = parsed;
  for (const kind of UNDEPLOYED_KINDS) {
    const ofKind = components[kind];
    const ids = isRecord(ofKind) ? Object.keys(ofKind) : [];
    if (ids.length > 0)
      throw new Error(
        `makecomapp.json: components.${kind} holds ${ids.join(', ')}, and this deploy does not deploy a ${kind}`,
      );
  }
  return {
    general: {
      base: textAt(general.base, 'generalCodeFiles.base'),
      groups: textAt(general.groups, 'generalCodeFiles.groups'),
      readme: textAt(general.readme, 'generalCodeFiles.readme'),
    },
    components: DEPLOYED_KINDS.flatMap((kind) => {
      const ofKind = components[kind];
      return isRecord(ofKind)
        ? Object.entries(ofKind).map(([id, meta]) => componentOf(kind, id, meta))
        : [];
    }),
  };
};
