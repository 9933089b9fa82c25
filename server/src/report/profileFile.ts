// `check --profile-file F`: a build saved with `profile --format json` (or `history --format
// json`) read back as a measured build, so findings can carry what they cost in it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MeasuredBuild } from '../features/measuredCost';

interface SavedStep {
  line?: unknown;
  endLine?: unknown;
  instruction?: unknown;
  state?: unknown;
  durationMs?: unknown;
}

/** The measured build in a saved profile, or a message saying why the file is not one. */
export function readProfileFile(file: string): MeasuredBuild | { error: string } {
  let data: { version?: unknown; steps?: unknown; record?: { createdAt?: unknown; source?: unknown } };
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `cannot read ${file}: no such file` : `${file} is not JSON from \`profile --format json\`: ${(error as Error).message}` };
  }
  if (data?.version !== 1 || !Array.isArray(data.steps)) return { error: `${file} is not a profile of version 1 (\`profile --format json\`)` };
  const steps = (data.steps as SavedStep[]).filter((s) => typeof s?.line === 'number' && typeof s.instruction === 'string' && typeof s.state === 'string');
  const created = typeof data.record?.createdAt === 'string' ? data.record.createdAt.slice(0, 10) : undefined;
  const origin = created
    ? `${data.record?.source === 'archive' ? 'the recorded build' : 'the build'} of ${created}`
    : `the profiled build (${path.basename(file)})`;
  return {
    origin,
    steps: steps.map((s) => ({
      line: (s.line as number) - 1,
      endLine: (typeof s.endLine === 'number' ? s.endLine : (s.line as number)) - 1,
      instruction: s.instruction as string,
      cached: s.state === 'cached',
      seconds: (s.state === 'done' || s.state === 'error') && typeof s.durationMs === 'number' ? s.durationMs / 1000 : undefined,
    })),
  };
}
