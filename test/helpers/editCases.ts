// Dockerfiles to edit in tests of re-analysis: every rule fixture with its context and CI site,
// the real-world corpus, generated files and a long multi-stage one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { AnalyzeOptions } from '../../server/src/analysis/analyze';
import { FIXTURES, casesIn, fixtureContext, fixtureSite, ruleDirs } from './fixtures';
import { realWorldFixtures } from './realWorld';
import { dockerfile, FUZZ_SEED } from '../fuzz/arbitraries';

export interface EditCase {
  name: string;
  text: string;
  options: AnalyzeOptions;
}

/** Several Go services built in their own stages, one final image copying every binary. */
export function servicesFile(services: number): string {
  const lines: string[] = [];
  for (let i = 0; i < services; i++) {
    lines.push(
      `FROM golang:1.22 AS svc${i}`,
      `WORKDIR /src/svc${i}`,
      'COPY . .',
      `ENV BUILD_SERIAL=${i}`,
      'RUN go mod download',
      `RUN go build -ldflags "-X main.built=$(date +%s)" -o /out/svc${i} ./cmd/server`,
    );
  }
  lines.push('FROM gcr.io/distroless/static-debian12');
  for (let i = 0; i < services; i++) lines.push(`COPY --from=svc${i} /out/svc${i} /usr/local/bin/`);
  lines.push('ENTRYPOINT ["/usr/local/bin/svc0"]');
  return `${lines.join('\n')}\n`;
}

export function editCases(): EditCase[] {
  const all: EditCase[] = [];
  for (const id of ruleDirs()) {
    const dir = path.join(FIXTURES, id);
    for (const file of [...casesIn(dir, 'invalid'), ...casesIn(dir, 'valid')]) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      all.push({ name: `${id}/${file}`, text, options: { context: fixtureContext(dir, file.replace(/\.Dockerfile$/, '')), buildsIn: fixtureSite(dir, file) } });
    }
  }
  for (const fixture of realWorldFixtures()) all.push({ name: `real-world/${fixture.name}`, text: fixture.text, options: { context: fixture.context } });
  fc.sample(dockerfile, { seed: FUZZ_SEED, numRuns: 150 }).forEach((g, i) => all.push({ name: `generated #${i}`, text: g.text, options: {} }));
  all.push({ name: 'eight services', text: servicesFile(8), options: {} });
  return all;
}
