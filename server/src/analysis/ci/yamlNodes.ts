// Small readers over the `yaml` package's nodes that keep source lines: CI files are YAML, and
// a finding must name the line of the step that builds the image.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';

export interface YamlFile {
  root: Node | null;
  /** One-based line of an offset. */
  lineAt(offset: number): number;
}

export function parseYaml(text: string): YamlFile | undefined {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: false, strict: false });
    return { root: (doc.contents as Node | null) ?? null, lineAt: (offset) => lineCounter.linePos(offset).line };
  } catch {
    return undefined;
  }
}

export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap).items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

export function valueOf(node: unknown, key: string): unknown {
  return pairOf(node, key)?.value;
}

/** A scalar's text; undefined for anything else. */
export function stringOf(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;
}

export function itemsOf(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

export function pairsOf(node: unknown): Pair[] {
  return isMap(node) ? (node as YAMLMap).items.filter(isPair) : [];
}

/** One-based line where a node starts. */
export function lineOfNode(file: YamlFile, node: unknown): number {
  const range = (node as Node | undefined)?.range;
  return range ? file.lineAt(range[0]) : 1;
}

/**
 * The line in the file of a line inside a scalar's value: exact for block literals (`run: |`),
 * whose value lines are the file's lines after the header; the scalar's first line otherwise.
 */
export function scalarLine(file: YamlFile, node: unknown, valueLine: number): number {
  if (!isScalar(node) || !node.range) return 1;
  const start = file.lineAt(node.range[0]);
  return node.type === 'BLOCK_LITERAL' ? start + 1 + valueLine : start;
}
