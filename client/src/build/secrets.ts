// Build args such as GITHUB_TOKEN reach docker, but their values must never be shown back: not in
// the output channel, not in an annotation, hover or diagnostic.
import type { StepAnnotation } from '../../../server/src/build/model';

const SECRET_WORDS = new Set([
  'secret', 'secrets', 'token', 'password', 'passwd', 'pass', 'pwd', 'passphrase',
  'key', 'apikey', 'credential', 'credentials', 'creds', 'auth', 'netrc', 'private',
]);

/** `GITHUB_TOKEN`, `npmAuthToken`, `aws-secret-access-key` look secret; `GOPRIVATE` and `GOFLAGS` do not. */
export function looksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}

export const MASK = '***';

/**
 * Replaces the values of secret-looking build args in any text. Values under four characters are
 * left alone: masking every `1` or `yes` in a log would hide more than it protects.
 */
export function secretMasker(buildArgs: Readonly<Record<string, string>> | undefined): (text: string) => string {
  const values = Object.entries(buildArgs ?? {})
    .filter(([name, value]) => looksSecret(name) && value.length >= 4)
    .map(([, value]) => value)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((masked, value) => masked.split(value).join(MASK), text);
}

/** `NAME=value` as docker receives it, `NAME=***` when the name looks secret. */
export function describeBuildArg(name: string, value: string): string {
  return `${name}=${looksSecret(name) ? MASK : value}`;
}

interface ExtraBuildArg {
  index: number;
  prefix: string;
  name: string;
  value: string;
}

/** Build args given through `build.extraArgs`: `--build-arg NAME=value` or `--build-arg=NAME=value`. */
function extraBuildArgs(extraArgs: readonly string[]): ExtraBuildArg[] {
  const found: ExtraBuildArg[] = [];
  extraArgs.forEach((arg, index) => {
    const prefix = arg.startsWith('--build-arg=') ? '--build-arg=' : extraArgs[index - 1] === '--build-arg' ? '' : undefined;
    const match = prefix === undefined ? null : /^([^=]+)=(.*)$/s.exec(arg.slice(prefix.length));
    if (prefix !== undefined && match) found.push({ index, prefix, name: match[1], value: match[2] });
  });
  return found;
}

/** Every build arg docker will receive: the `build.args` setting over those in `build.extraArgs`. */
export function allBuildArgs(buildArgs: Readonly<Record<string, string>>, extraArgs: readonly string[]): Record<string, string> {
  const fromExtra = Object.fromEntries(extraBuildArgs(extraArgs).map(({ name, value }) => [name, value]));
  return { ...fromExtra, ...buildArgs };
}

/** Extra args as they can be shown: build-arg values of secret-looking names hidden. */
export function describeExtraArgs(extraArgs: readonly string[]): string[] {
  const shown = [...extraArgs];
  for (const { index, prefix, name, value } of extraBuildArgs(extraArgs)) shown[index] = `${prefix}${describeBuildArg(name, value)}`;
  return shown;
}

export function maskStep(step: StepAnnotation, mask: (text: string) => string): StepAnnotation {
  return {
    ...step,
    instruction: mask(step.instruction),
    logs: step.logs.map(mask),
    ...(step.error === undefined ? {} : { error: mask(step.error) }),
    ...(step.missReason === undefined ? {} : { missReason: mask(step.missReason) }),
  };
}
