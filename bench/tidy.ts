// Regenerates bench/service/go.mod's requirements and go.sum against the bench's module proxy:
// run it after changing the service's imports or the Debian package list.
//   node --import tsx bench/tidy.ts
import * as path from 'node:path';
import { docker } from './support/docker';
import { BENCH_IMAGE, prepareEnvironment } from './rebuild';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..');
  const log = (line: string) => process.stderr.write(`tidy: ${line}\n`);
  const environment = await prepareEnvironment({ repoRoot, log });
  try {
    // -e: Debian packages no Windows code and not every test-only module; the build needs neither.
    const output = await docker(['run', '--rm', '--network=host', '--volume', `${path.join(repoRoot, 'bench/service')}:/src`, '--workdir', '/src', BENCH_IMAGE, 'go', 'mod', 'tidy', '-e']);
    log(output.trim().split('\n').filter((l) => !l.startsWith('go: downloading')).slice(-5).join('\n'));
  } finally {
    await environment.close();
  }
}

main().catch((error) => {
  process.stderr.write(`tidy: ${(error as Error).message}\n`);
  process.exit(1);
});
