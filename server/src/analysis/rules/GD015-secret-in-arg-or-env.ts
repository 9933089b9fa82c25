import * as posix from 'node:path/posix';
import { mountOwnerSuffix } from '../fixing/edits';
import { effectiveGoEnv } from '../go/goenv';
import { isArg, isEnv, type InstructionModel } from '../model/model';
import type { Range } from '../model/types';
import { defineRule } from './api';

type SecretKind = 'netrc' | 'ssh' | 'token';

/** Words that make a variable name a secret on their own. */
const SECRET_WORDS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'APIKEY', 'NETRC', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'AUTH']);
/** Word pairs that do: a KEY alone is too often a fingerprint or a config key. */
const SECRET_PAIRS = new Set(['API_KEY', 'PRIVATE_KEY', 'SSH_KEY', 'ACCESS_KEY', 'DEPLOY_KEY', 'SIGNING_KEY', 'ID_RSA', 'ID_ED25519']);
const SSH_PAIRS = new Set(['PRIVATE_KEY', 'SSH_KEY', 'DEPLOY_KEY', 'ID_RSA', 'ID_ED25519']);
/** A last word that makes the variable name where a secret is, or who it belongs to, not the secret. */
const NOT_THE_SECRET = new Set(['ID', 'FILE', 'PATH', 'DIR', 'URL', 'URI', 'HOST', 'ENDPOINT', 'NAME', 'USER', 'USERNAME', 'TYPE', 'METHOD', 'MODE', 'SOCK', 'ENABLED']);
/** Module privacy settings: the patterns of private module paths, no credential in them. */
const GO_SETTINGS = new Set(['GOPRIVATE', 'GONOSUMDB', 'GONOPROXY', 'GOINSECURE', 'GOAUTH', 'GOPROXY', 'GOSUMDB', 'GOFLAGS']);
/** `scheme://user:password@host`: credentials written into a URL. */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;

function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[_.-]+/).filter(Boolean);
}

function secretKind(name: string): SecretKind | undefined {
  if (GO_SETTINGS.has(name.toUpperCase())) return undefined;
  const w = words(name);
  if (w.length === 0 || w.includes('PUBLIC') || NOT_THE_SECRET.has(w[w.length - 1])) return undefined;
  const pairs = w.slice(1).map((word, i) => `${w[i]}_${word}`);
  if (w.includes('NETRC')) return 'netrc';
  if (pairs.some((p) => SSH_PAIRS.has(p))) return 'ssh';
  if (w.some((word) => SECRET_WORDS.has(word)) || pairs.some((p) => SECRET_PAIRS.has(p))) return 'token';
  return undefined;
}

/**
 * git and Go's module download both read the user's ~/.netrc, so the secret is mounted there,
 * readable by a non-root USER (secret mounts belong to root, mode 0400).
 */
function netrcMount(instruction: InstructionModel): string {
  const target = posix.join(effectiveGoEnv(instruction).HOME.value, '.netrc');
  return `RUN --mount=type=secret,id=netrc,target=${target}${mountOwnerSuffix(instruction)} go mod download`;
}

function secretHint(instruction: InstructionModel, name: string, kind: SecretKind): string {
  if (kind === 'ssh') return 'Forward the SSH agent to the step that fetches modules instead: `RUN --mount=type=ssh go mod download`, built with `--ssh default`.';
  if (kind === 'netrc') return `Mount it as a build secret for the step that needs it instead: \`${netrcMount(instruction)}\`, built with \`--secret id=netrc,src=$HOME/.netrc\`.`;
  const id = name.toLowerCase();
  return `Pass it as a build secret for the step that needs it instead: \`RUN --mount=type=secret,id=${id},env=${name} go mod download\`, built with \`--secret id=${id},env=${name}\`.`;
}

/** What stays behind, and where anyone who can pull the image reads it. */
function exposure(keyword: 'ARG' | 'ENV'): string {
  return keyword === 'ARG'
    ? 'a build argument is recorded with every RUN after it in the image history (`docker history`)'
    : 'an ENV value is stored in the config of this image and of every stage built FROM it (`docker inspect`)';
}

export default defineRule({
  id: 'GD015',
  name: 'secret-in-arg-or-env',
  severity: 'error',
  summary: 'A token, password, netrc or SSH key is passed through ARG or ENV, where it stays in the image history.',
  fixable: false,
  check({ model, report }) {
    const check = (instruction: InstructionModel, keyword: 'ARG' | 'ENV', name: string, nameRange: Range, value: string | undefined) => {
      const kind = secretKind(name);
      if (kind) {
        report({ range: nameRange, message: `\`${keyword} ${name}\` looks like a secret, and ${exposure(keyword)}. ${secretHint(instruction, name, kind)}` });
      } else if (value !== undefined && URL_CREDENTIALS.test(value)) {
        report({ range: nameRange, message: `\`${keyword} ${name}\` has credentials written into its URL, and ${exposure(keyword)}. Keep the credentials in a netrc build secret instead: \`${netrcMount(instruction)}\`.` });
      }
    };
    for (const instruction of model.instructions) {
      // A global ARG reaches no layer until a stage declares it again, and that is where it is reported.
      if (!instruction.stage) continue;
      if (isArg(instruction)) for (const v of instruction.vars) check(instruction, 'ARG', v.name, v.nameRange, v.defaultValue);
      if (isEnv(instruction)) {
        // `ENV TOKEN=` clears a variable: nothing is stored.
        for (const v of instruction.vars) if (v.value !== '') check(instruction, 'ENV', v.name, v.nameRange, v.value);
      }
    }
  },
});
