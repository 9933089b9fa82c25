// docker-bake.hcl and docker-bake.json: which targets build which Dockerfile, with which cache
// exports. HCL is read with a real HCL grammar (Lezer's, from codemirror-lang-hcl), JSON with the
// YAML parser (JSON is YAML), so every target keeps its line.
import type { SyntaxNode } from '@lezer/common';
import * as posix from 'node:path/posix';
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Pair } from 'yaml';
import type { WorkspaceFiles } from './types';

/** A value written with an interpolation or function call: only bake knows it. */
const UNKNOWN = null;
type Value = string | string[] | typeof UNKNOWN;

export interface BakeTarget {
  name: string;
  file: string;
  /** One-based line of the target block. */
  line: number;
  attributes: Map<string, Value>;
}

export interface BakeDefinition {
  targets: Map<string, BakeTarget>;
  groups: Map<string, string[]>;
}

/** What a bake target builds, its inheritance resolved. */
export interface BakeBuild {
  target: string;
  file: string;
  line: number;
  /** Relative to the repository root; undefined when only known at run time. */
  dockerfile?: string;
  cacheTo: string[];
  cacheToUnknown: boolean;
  /** The `platforms` it builds for, as written; empty when it names none. */
  platforms: string[];
}

export const DEFAULT_BAKE_FILES = ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function hclString(node: SyntaxNode, text: string): Value {
  if (node.name === 'TemplateExpr') return UNKNOWN;
  if (node.name !== 'StringLit') return UNKNOWN;
  const literal = node.getChild('TemplateLiteral');
  if (node.getChild('TemplateInterpolation')) return UNKNOWN;
  return literal ? text.slice(literal.from, literal.to).replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n') : '';
}

function hclValue(expression: SyntaxNode, text: string): Value {
  const inner = expression.firstChild;
  if (!inner) return UNKNOWN;
  if (inner.name === 'LiteralValue') return inner.firstChild ? hclString(inner.firstChild, text) : UNKNOWN;
  if (inner.name === 'TemplateExpr') return UNKNOWN;
  if (inner.name === 'CollectionValue') {
    const tuple = inner.getChild('Tuple');
    if (!tuple) return UNKNOWN;
    const items: string[] = [];
    for (const element of tuple.getChildren('Expression')) {
      const value = hclValue(element, text);
      if (typeof value !== 'string') return UNKNOWN;
      items.push(value);
    }
    return items;
  }
  return UNKNOWN;
}

function blockLabel(block: SyntaxNode, text: string): string | undefined {
  const label = block.getChild('BlockLabel');
  const node = label?.firstChild;
  if (!node) return undefined;
  if (node.name === 'Identifier') return text.slice(node.from, node.to);
  const value = hclString(node, text);
  return typeof value === 'string' ? value : undefined;
}

function readHcl(file: string, text: string, into: BakeDefinition): void {
  // Loaded only when a repository has an HCL bake file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hclLanguage } = require('codemirror-lang-hcl') as typeof import('codemirror-lang-hcl');
  const body = hclLanguage.parser.parse(text).topNode.getChild('Body');
  for (const block of body?.getChildren('Block') ?? []) {
    const typeNode = block.getChild('BlockType');
    const type = typeNode ? text.slice(typeNode.from, typeNode.to) : '';
    const name = blockLabel(block, text);
    if (!name || (type !== 'target' && type !== 'group')) continue;
    const attributes = new Map<string, Value>();
    for (const attribute of block.getChild('Body')?.getChildren('Attribute') ?? []) {
      const key = attribute.getChild('Identifier');
      const expression = attribute.getChild('Expression');
      if (key && expression) attributes.set(text.slice(key.from, key.to), hclValue(expression, text));
    }
    addBlock(into, type, name, file, lineOf(text, block.from), attributes);
  }
}

function readJson(file: string, text: string, into: BakeDefinition): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (!isMap(doc.contents)) return;
  for (const section of doc.contents.items) {
    const type = isScalar(section.key) ? String(section.key.value) : '';
    if ((type !== 'target' && type !== 'group') || !isMap(section.value)) continue;
    for (const entry of section.value.items as Pair[]) {
      if (!isPair(entry) || !isScalar(entry.key) || !isMap(entry.value)) continue;
      const attributes = new Map<string, Value>();
      for (const [key, value] of Object.entries(entry.value.toJSON() as Record<string, unknown>)) {
        if (typeof value === 'string') attributes.set(key, value.includes('${') ? UNKNOWN : value);
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) attributes.set(key, value.some((v) => v.includes('${')) ? UNKNOWN : value);
        else attributes.set(key, UNKNOWN);
      }
      const line = entry.key.range ? lineCounter.linePos(entry.key.range[0]).line : 1;
      addBlock(into, type, String(entry.key.value), file, line, attributes);
    }
  }
}

function addBlock(into: BakeDefinition, type: string, name: string, file: string, line: number, attributes: Map<string, Value>): void {
  if (type === 'group') {
    const targets = attributes.get('targets');
    into.groups.set(name, Array.isArray(targets) ? targets : []);
    return;
  }
  // A later file overrides the attributes it sets and keeps the others, as bake merges files.
  const existing = into.targets.get(name);
  if (existing) for (const [k, v] of attributes) existing.attributes.set(k, v);
  else into.targets.set(name, { name, file, line, attributes });
}

/** The bake definition the named files make (default names when none are given). */
export function readBakeFiles(workspace: WorkspaceFiles, files: readonly string[] = []): BakeDefinition {
  const definition: BakeDefinition = { targets: new Map(), groups: new Map() };
  for (const file of files.length > 0 ? files : DEFAULT_BAKE_FILES) {
    const text = workspace.readText(file);
    if (text === undefined) continue;
    try {
      if (file.endsWith('.json')) readJson(file, text, definition);
      else if (file.endsWith('.hcl')) readHcl(file, text, definition);
    } catch {
      // A bake file we cannot read tells us nothing.
    }
  }
  return definition;
}

function resolvedAttribute(definition: BakeDefinition, target: BakeTarget, key: string, seen = new Set<string>()): Value | undefined {
  if (target.attributes.has(key)) return target.attributes.get(key);
  seen.add(target.name);
  const parents = target.attributes.get('inherits');
  // The last parent that sets it wins, as bake merges inherited targets in order.
  for (const parent of Array.isArray(parents) ? [...parents].reverse() : []) {
    const p = definition.targets.get(parent);
    if (!p || seen.has(parent)) continue;
    const value = resolvedAttribute(definition, p, key, seen);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Targets a bake run builds: named ones (groups expanded), or the `default` group or target. */
export function bakeTargets(definition: BakeDefinition, requested: readonly string[]): BakeTarget[] {
  const out = new Set<BakeTarget>();
  const expand = (name: string, depth: number) => {
    if (depth > 20) return;
    const group = definition.groups.get(name);
    if (group) for (const member of group) expand(member, depth + 1);
    const target = definition.targets.get(name);
    if (target) out.add(target);
  };
  for (const name of requested.length > 0 ? requested : ['default']) expand(name, 0);
  return [...out];
}

/** What a target builds, with `--set` overrides (`*.cache-to=…`, `app.cache-to=…`). */
export function bakeBuild(definition: BakeDefinition, target: BakeTarget, sets: readonly string[] = []): BakeBuild {
  const context = resolvedAttribute(definition, target, 'context');
  const dockerfile = resolvedAttribute(definition, target, 'dockerfile');
  // `--set <target or *>.<key>=value` replaces the attribute for that target.
  const overridden = (key: string) => sets.map((s) => /^([^.=]+)\.([a-z-]+)=(.*)$/s.exec(s)).filter((m): m is RegExpExecArray => m !== null)
    .filter((m) => (m[1] === '*' || m[1] === target.name) && m[2] === key).map((m) => m[3]);
  let cacheTo = resolvedAttribute(definition, target, 'cache-to');
  if (overridden('cache-to').length > 0) cacheTo = overridden('cache-to');
  let platforms = resolvedAttribute(definition, target, 'platforms');
  if (overridden('platform').length > 0) platforms = overridden('platform');
  const contextDir = context === undefined ? '.' : typeof context === 'string' ? context : undefined;
  const dockerfileName = dockerfile === undefined ? 'Dockerfile' : typeof dockerfile === 'string' ? dockerfile : undefined;
  // Bake reads the Dockerfile relative to the target's context.
  const path = contextDir === undefined || dockerfileName === undefined || contextDir.includes('://') || dockerfileName.startsWith('/')
    ? undefined : posix.normalize(posix.join(contextDir, dockerfileName));
  return {
    target: target.name,
    file: target.file,
    line: target.line,
    dockerfile: path && !path.startsWith('..') ? path : undefined,
    cacheTo: Array.isArray(cacheTo) ? cacheTo : typeof cacheTo === 'string' ? [cacheTo] : [],
    cacheToUnknown: cacheTo === UNKNOWN,
    platforms: Array.isArray(platforms) ? platforms : typeof platforms === 'string' ? [platforms] : [],
  };
}
