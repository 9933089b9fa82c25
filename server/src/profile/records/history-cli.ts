// `go-dockerfile-cache history [options] FILE`: a past build of FILE, from the builder's build
// records or a `.dockerbuild` file, printed the way `profile` prints a build it ran, without
// building. Exit 0 when a record was shown (whatever the recorded build's outcome), 2 when there
// is none, it cannot be read, or it is of another Dockerfile.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseContextOnDisk } from '../../analysis/ci/workspace';
import { resolveDockerPath } from '../docker';
import { wantsColor, type ProfileIo } from '../profile-cli';
import { renderAnnotatedDockerfile, renderSummary } from '../render';
import { recordHeadline, unplacedNote, type RecordedBuild } from './history';
import { isArchiveArgument, loadArchiveBuild, loadBuilderBuild } from './load';
import { looksLikeCi } from './record';
import { historyJson } from './history-json';

export const HISTORY_USAGE = `Usage: go-dockerfile-cache history [options] FILE

Shows a past build of FILE, from BuildKit's build records, the way profile shows a build:
each step's outcome after its line (✓ cached, its time, ✗ its error), then the summary.
Builds started anywhere count: a terminal, make, compose, or CI (its .dockerbuild artifact).

Options:
  --record REF|FILE.dockerbuild  a record on the builder, or an exported record file
                                 (default: the newest record of FILE and its context on the builder)
  --builder NAME          the buildx builder (default: the one docker buildx uses)
  --context DIR           the build context the record must have built (default: the one the
                          repository's builds of FILE use, else FILE's folder)
  --format text|json      annotated Dockerfile (default), or the steps, summary and record as JSON
  --docker PATH           docker binary (default: docker from PATH)
  --no-color              plain text even on a terminal
  -h, --help              show this help`;

function defaultIo(): ProfileIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export function renderRecordedBuild(text: string, build: RecordedBuild, color: boolean, dockerfile?: string): string {
  const options = { color };
  const built = build.info.dockerfilePath;
  // A record from CI or another folder: say which file it built, since it is not this one.
  const elsewhere = built !== undefined && dockerfile !== undefined && path.resolve(built) !== path.resolve(dockerfile);
  const lines = [
    `# ${recordHeadline(build, looksLikeCi(build.info))}`,
    ...(elsewhere ? [`# it built ${built}`] : []),
    '',
    ...renderAnnotatedDockerfile(text, build.steps, options),
    '',
    ...renderSummary(build.summary, build.steps, options),
  ];
  const note = unplacedNote(build);
  if (note) lines.push(note);
  return `${lines.join('\n')}\n`;
}

export async function runHistoryCommand(argv: string[], io: ProfileIo = defaultIo()): Promise<number> {
  let values: { record?: string; builder?: string; context?: string; format?: string; docker?: string; 'no-color'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        record: { type: 'string' }, builder: { type: 'string' }, context: { type: 'string' }, format: { type: 'string' },
        docker: { type: 'string' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.format !== undefined && values.format !== 'text' && values.format !== 'json') throw new Error(`--format must be text or json, not "${values.format}"`);
    if (!values.help && positionals.length !== 1) throw new Error(positionals.length === 0 ? 'which Dockerfile?' : 'one Dockerfile at a time');
  } catch (error) {
    io.stderr.write(`history: ${(error as Error).message}\n\n${HISTORY_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${HISTORY_USAGE}\n`);
    return 0;
  }
  const file = positionals[0];
  const dockerfile = path.resolve(file);
  let text: string;
  try {
    if (!statSync(dockerfile).isFile()) throw new Error('not a file');
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    io.stderr.write(`history: cannot read ${file}\n`);
    return 2;
  }
  let context: string;
  if (values.context !== undefined) context = path.resolve(values.context);
  else {
    // The context the repository's builds of the file use: a record of `make image` was built from there.
    const chosen = await chooseContextOnDisk(file, 'build records looked up for');
    context = chosen.dir;
    if (chosen.note) io.stderr.write(`note: ${chosen.note}\n`);
  }
  let build: RecordedBuild;
  try {
    build = values.record !== undefined && (await isArchiveArgument(values.record))
      ? await loadArchiveBuild(path.resolve(values.record), dockerfile, text)
      : await loadBuilderBuild({ docker: resolveDockerPath(values.docker), builder: values.builder, env: io.env, ref: values.record, context }, dockerfile, text);
  } catch (error) {
    io.stderr.write(`history: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.format === 'json') io.stdout.write(`${JSON.stringify(historyJson(file, build), null, 2)}\n`);
  else io.stdout.write(renderRecordedBuild(text, build, wantsColor(io, values['no-color'] === true ? false : undefined), dockerfile));
  return 0;
}
