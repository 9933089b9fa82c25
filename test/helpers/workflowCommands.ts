// Reads a GitHub Actions workflow command back the way the Actions runner does.
import * as assert from 'node:assert/strict';

export function parseWorkflowCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(match[2].split(',').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), unescape(pair.slice(eq + 1))];
  }));
  return { command: match[1], properties, message: unescape(match[3]) };
}
