// `npm run bench:ci`: the CI rebuild benchmark. A CI runner starts with an empty builder, gets its
// layers back through --cache-from, and reaches the Go module proxy and its cache backend over a
// network. Toxiproxy (scripts/engine/toxiproxy.sh) sits between the builds and both, with the
// network profiles below. Per variant: build and export the cache (mode=max, registry backend
// through Toxiproxy); then per profile: wipe the builder, change one source line, rebuild with
// --cache-from, timed. Options:
//   --rounds N     rebuilds per variant and profile (default 3; medians)
//   --profiles a,b loopback,ci-typical,ci-slow (default all)
//   --compile      time the whole build; by default the Go build step lists the packages
//                  instead of compiling them (see modulePhase)
//   --service S    service-ci (default: 160 required modules) or service (the small service of
//                  the rebuild benchmark, 50 lines of requirements)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { BUILDER, DOCKER, engineDescription } from './support/docker';
import { tail, timedRun } from './support/process';
import { median } from './support/stats';

const repoRoot = path.resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`bench ci: ${line}\n`);
const TOXIPROXY_API = 'http://127.0.0.1:8474';
const GOPROXY_THROUGH_TOXIPROXY = 'http://127.0.0.1:5101';
const REGISTRY_THROUGH_TOXIPROXY = '127.0.0.1:5100';

/** A network as a runner sees it: added latency (each way) and a bandwidth cap, per upstream. */
interface NetworkProfile {
  name: string;
  goproxy?: { latencyMs: number; kbPerSecond: number };
  cache?: { latencyMs: number; kbPerSecond: number };
}

/** Why these numbers: bench/README.md, "CI rebuild benchmark". */
export const PROFILES: NetworkProfile[] = [
  { name: 'loopback' },
  { name: 'ci-typical', goproxy: { latencyMs: 20, kbPerSecond: 25_000 }, cache: { latencyMs: 10, kbPerSecond: 50_000 } },
  { name: 'ci-slow', goproxy: { latencyMs: 80, kbPerSecond: 5_000 }, cache: { latencyMs: 40, kbPerSecond: 5_000 } },
];

type VariantName = 'naive' | 'fix --builds-in local' | 'fix --builds-in ci' | 'hand-tuned CI';

/** A service the bench builds: its folder, its Go build step and the line the rebuild changes. */
interface Service {
  dir: string;
  buildStep: string;
  /** Where the binary goes: the module phase leaves an empty file there, so later steps work. */
  output: string;
  changeFile: string;
  changeLine: RegExp;
  changed(label: string): string;
}

const SERVICES: Record<string, Service> = {
  'service-ci': {
    dir: 'bench/service-ci', buildStep: 'CGO_ENABLED=0 go build -o /out/reports .', output: '/out/reports',
    changeFile: 'internal/version/version.go', changeLine: /^const Greeting = .*$/m, changed: (label) => `const Greeting = "reports ok (${label})"`,
  },
  service: {
    dir: 'bench/service', buildStep: 'CGO_ENABLED=0 go build -o /usr/local/bin/orders .', output: '/usr/local/bin/orders',
    changeFile: 'internal/api/greeting.go', changeLine: /^const greeting = .*$/m, changed: (label) => `const greeting = "orders ok (${label})"`,
  },
};

/**
 * In CI the build cache mount starts empty for every variant (no variant restores it), so the Go
 * compile costs the same in all of them; what differs is how the modules arrive. By default the
 * build step lists the packages (`go list -deps`), which needs every module the build needs and
 * compiles nothing, so the run measures that difference on a 2-core machine in minutes, not hours.
 */
function modulePhase(service: Service): string {
  return `CGO_ENABLED=0 go list -deps . >/dev/null && mkdir -p ${path.posix.dirname(service.output)} && touch ${service.output}`;
}

async function api(method: string, url: string, body?: unknown): Promise<void> {
  const response = await fetch(`${TOXIPROXY_API}${url}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok && response.status !== 404) throw new Error(`toxiproxy ${method} ${url}: ${response.status} ${await response.text()}`);
}

async function setNetwork(profile: NetworkProfile): Promise<void> {
  for (const [proxy, network] of [['gdc-goproxy', profile.goproxy], ['gdc-registry', profile.cache]] as const) {
    for (const toxic of ['latency_down', 'latency_up', 'bandwidth_down', 'bandwidth_up']) await api('DELETE', `/proxies/${proxy}/toxics/${toxic}`);
    if (!network) continue;
    for (const stream of ['downstream', 'upstream'] as const) {
      const suffix = stream === 'downstream' ? 'down' : 'up';
      await api('POST', `/proxies/${proxy}/toxics`, { name: `latency_${suffix}`, type: 'latency', stream, attributes: { latency: network.latencyMs, jitter: 0 } });
      await api('POST', `/proxies/${proxy}/toxics`, { name: `bandwidth_${suffix}`, type: 'bandwidth', stream, attributes: { rate: network.kbPerSecond } });
    }
  }
}

function cliFix(naive: string, where: 'local' | 'ci'): string {
  // -trimpath (GD016) is left out: every variant builds with the same flags, or the bench measures the flag.
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'server/out/cli.js'), 'fix', '--stdout', '--builds-in', where, '--rules', 'GD016=off', naive], { encoding: 'utf8' });
  if (!run.stdout.includes('FROM')) throw new Error(`fix --builds-in ${where} failed: ${run.stderr}`);
  return run.stdout;
}

function variants(service: Service, compile: boolean): { name: VariantName; slug: string; text: string }[] {
  const dir = path.join(repoRoot, service.dir);
  const naive = path.join(dir, 'Dockerfile.naive');
  const all: { name: VariantName; slug: string; text: string }[] = [
    { name: 'naive', slug: 'naive', text: fs.readFileSync(naive, 'utf8') },
    { name: 'fix --builds-in local', slug: 'fix-local', text: cliFix(naive, 'local') },
    { name: 'fix --builds-in ci', slug: 'fix-ci', text: cliFix(naive, 'ci') },
    { name: 'hand-tuned CI', slug: 'tuned-ci', text: fs.readFileSync(path.join(dir, 'Dockerfile.tuned-ci'), 'utf8') },
  ];
  for (const v of all) {
    if (!v.text.includes(service.buildStep)) throw new Error(`${v.name}: the build step "${service.buildStep}" is not in the Dockerfile`);
    if (!compile) v.text = v.text.replace(service.buildStep, modulePhase(service));
  }
  return all;
}

const RUN_ID = Date.now().toString(36);

function workCopy(service: Service, slug: string, text: string): string {
  const dir = path.join(repoRoot, 'bench/work/ci', slug);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, service.dir), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
  return dir;
}

/** The one-line change before each rebuild: unique, so no rebuild can reuse another's layers. */
function changeOneLine(service: Service, dir: string, label: string): void {
  const file = path.join(dir, service.changeFile);
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(service.changeLine, service.changed(`${label}, ${RUN_ID}`));
  if (after === before) throw new Error(`${service.changeFile}: the line to change is not there`);
  fs.writeFileSync(file, after);
}

async function build(dir: string, slug: string, cache: 'export' | 'import', label: string): Promise<number> {
  const ref = `${REGISTRY_THROUGH_TOXIPROXY}/gdc-ci-bench/${slug}:${RUN_ID}`;
  const cacheArgs = cache === 'export' ? ['--cache-to', `type=registry,ref=${ref},mode=max`] : ['--cache-from', `type=registry,ref=${ref}`];
  const run = await timedRun('nice', [DOCKER, 'buildx', 'build', '--builder', BUILDER, '--progress=plain', '--network=host',
    '--build-arg', `GOPROXY=${GOPROXY_THROUGH_TOXIPROXY}`, ...cacheArgs, dir]);
  // Each build's progress beside the work copy, to see where its time went.
  fs.writeFileSync(path.join(dir, `..`, `${slug}-${label.replace(/\W+/g, '-')}.log`), run.output);
  if (run.code !== 0) throw new Error(`build of ${slug} (${cache}) failed:\n${tail(run.output)}`);
  return run.ms;
}

/** The builder is shared: when scripts/engine/setup.sh restarts it, wait for it to answer again. */
async function waitForBuilder(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await timedRun(DOCKER, ['buildx', 'inspect', BUILDER])).output.includes('BuildKit version')) return;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  throw new Error(`the ${BUILDER} builder did not answer for 5 minutes`);
}

/** A CI runner's builder: nothing in it, not even the base image. */
async function wipeBuilder(): Promise<void> {
  await waitForBuilder();
  const run = await timedRun(DOCKER, ['buildx', 'prune', '-af', '--builder', BUILDER]);
  if (run.code !== 0) throw new Error(`prune failed: ${tail(run.output)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, profiles: { type: 'string' }, compile: { type: 'boolean', default: false }, service: { type: 'string', default: 'service-ci' } } });
  const rounds = Number(values.rounds);
  const service = SERVICES[values.service!];
  if (!service) throw new Error(`--service must be ${Object.keys(SERVICES).join(' or ')}`);
  const profiles = values.profiles ? PROFILES.filter((p) => values.profiles!.split(',').includes(p.name)) : PROFILES;
  const engine = await engineDescription();
  if (!engine) throw new Error(`the ${BUILDER} builder does not answer: run scripts/engine/setup.sh`);
  const toxiproxy = spawnSync('bash', [path.join(repoRoot, 'scripts/engine/toxiproxy.sh')], { encoding: 'utf8' });
  if (toxiproxy.status !== 0) throw new Error(`scripts/engine/toxiproxy.sh failed: ${toxiproxy.stderr}`);
  // The modules come from the Go module proxy once, on the host; the loopback proxy of
  // scripts/engine/setup.sh serves them to the builds from the host's module cache.
  const download = spawnSync('go', ['mod', 'download'], { cwd: path.join(repoRoot, service.dir), encoding: 'utf8' });
  if (download.status !== 0) throw new Error(`go mod download in ${service.dir} failed: ${download.stderr}`);
  const all = variants(service, values.compile!);
  const modules = fs.readFileSync(path.join(repoRoot, service.dir, 'go.mod'), 'utf8').split('\n').filter((l) => /^\t\S+ v\S+/.test(l)).length;
  log(`${engine}; ${service.dir} with ${modules} required modules; ${rounds} round(s); ${values.compile ? 'full build' : 'module phase'}`);
  const results: Record<string, Record<string, number[]>> = {};
  for (const variant of all) {
    const dir = workCopy(service, variant.slug, variant.text);
    // The cache CI exported after the last build on the default branch.
    await setNetwork(PROFILES[0]);
    await wipeBuilder();
    changeOneLine(service, dir, 'export');
    log(`${variant.name}: export ${Math.round((await build(dir, variant.slug, 'export', 'export')) / 1000)} s`);
    for (const profile of profiles) {
      for (let round = 0; round < rounds; round++) {
        await wipeBuilder();
        changeOneLine(service, dir, `${profile.name} ${round}`);
        await setNetwork(profile);
        const ms = await build(dir, variant.slug, 'import', `${profile.name}-${round}`);
        await setNetwork(PROFILES[0]);
        ((results[profile.name] ??= {})[variant.name] ??= []).push(ms);
        log(`${variant.name} on ${profile.name}: ${(ms / 1000).toFixed(1)} s`);
      }
    }
  }
  const rows = profiles.map((p) => {
    const m = (v: VariantName) => median(results[p.name]?.[v] ?? [NaN]) / 1000;
    return { profile: p.name, naive: m('naive'), local: m('fix --builds-in local'), ci: m('fix --builds-in ci'), tuned: m('hand-tuned CI') };
  });
  const out = { engine, service: service.dir, modules, rounds, mode: values.compile ? 'full build' : 'module phase', date: new Date().toISOString().slice(0, 10), rows, raw: results };
  const name = `ci-results${values.service === 'service-ci' ? '' : `-${values.service}`}${values.compile ? '-compile' : ''}.json`;
  fs.writeFileSync(path.join(repoRoot, 'bench', name), `${JSON.stringify(out, null, 2)}\n`);
  const f = (s: number) => `${s.toFixed(1)} s`;
  process.stdout.write('| profile | naive | fix --builds-in local | fix --builds-in ci | hand-tuned CI | local ÷ ci | ci ÷ hand-tuned |\n|---|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.profile} | ${f(r.naive)} | ${f(r.local)} | ${f(r.ci)} | ${f(r.tuned)} | ${(r.local / r.ci).toFixed(2)}x | ${(r.ci / r.tuned).toFixed(2)}x |\n`);
}

main().catch((error) => {
  process.stderr.write(`bench ci: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
