// What we know about common base images without pulling them: whether they carry a Go toolchain,
// which libc they have, and the Go environment their image config sets.

export type ImageFamily =
  | 'golang'            // official golang image on Debian: Go at /usr/local/go, GOPATH=/go, glibc, gcc
  | 'golang-alpine'     // official golang:*-alpine: GOPATH=/go, musl, no gcc
  | 'alpine'            // plain alpine (Go only via `apk add go`, no GOPATH set)
  | 'scratch'
  | 'distroless-static' // gcr.io/distroless/static*: no libc at all
  | 'distroless'        // other distroless images: glibc, no shell
  | 'other';

export interface ImageFacts {
  family: ImageFamily;
  /** Go toolchain ships in the image. */
  hasGo: boolean;
  /** ENV the image config sets that matter to Go. */
  env: Record<string, string>;
  /** The image's WORKDIR. */
  workdir: string;
  /** Runs only fully static binaries (a cgo binary fails to start). */
  staticOnly: boolean;
  musl: boolean;
  summary: string;
  /**
   * An image outside the table and not a distribution's own: its config may set USER, HOME,
   * GOPATH, GOCACHE… and the analysis does not know which.
   */
  unknownConfig?: true;
}

/** Strips a registry host and the `library/` prefix: `docker.io/library/golang` → `golang`. */
export function repositoryPath(name: string): string {
  const parts = name.toLowerCase().split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' || (parts[0] === 'docker' && parts[1] === 'library')) parts.splice(0, parts[0] === 'docker' ? 2 : 1);
  return parts.join('/');
}

/** Splits `name[:tag][@digest]`; the tag's colon is the one after the last `/` (not a registry port). */
export function splitImageReference(reference: string): { name: string; tag?: string; digest?: string } {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const rest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { name: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : undefined, digest };
}

export function imageFacts(name: string, tag: string | undefined): ImageFacts {
  const repo = repositoryPath(name);
  const lowerTag = (tag ?? '').toLowerCase();
  const goEnv = { GOPATH: '/go', PATH: '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
  if (repo === 'golang' || repo.endsWith('/golang')) {
    if (lowerTag.includes('alpine')) {
      return {
        family: 'golang-alpine', hasGo: true, env: goEnv, workdir: '/go', staticOnly: false, musl: true,
        summary: 'official golang image on Alpine: Go in /usr/local/go, GOPATH=/go, musl libc and no C compiler, so cgo is off unless you `apk add gcc musl-dev`',
      };
    }
    return {
      family: 'golang', hasGo: true, env: goEnv, workdir: '/go', staticOnly: false, musl: false,
      summary: 'official golang image on Debian: Go in /usr/local/go, GOPATH=/go, glibc and gcc, so cgo is on by default and binaries link against glibc',
    };
  }
  if (repo === 'scratch') {
    return { family: 'scratch', hasGo: false, env: {}, workdir: '/', staticOnly: true, musl: false, summary: 'empty image: no libc, no shell, no CA certificates' };
  }
  if (repo === 'alpine' || repo.endsWith('/alpine')) {
    return { family: 'alpine', hasGo: false, env: {}, workdir: '/', staticOnly: false, musl: true, summary: 'Alpine: musl libc; Go from `apk add go` sets no GOPATH, so it defaults to $HOME/go' };
  }
  if (repo.startsWith('distroless/static') || repo.includes('distroless/static')) {
    return { family: 'distroless-static', hasGo: false, env: {}, workdir: '/', staticOnly: true, musl: false, summary: 'distroless static: CA certificates and tzdata but no libc' };
  }
  if (repo.includes('distroless')) {
    return { family: 'distroless', hasGo: false, env: {}, workdir: '/', staticOnly: false, musl: false, summary: 'distroless: glibc, no shell' };
  }
  if (isDistributionImage(name)) {
    return { family: 'other', hasGo: false, env: {}, workdir: '/', staticOnly: false, musl: false, summary: 'a distribution\'s own image: no Go, runs as root; Go installed there defaults GOPATH to $HOME/go' };
  }
  return { family: 'other', hasGo: false, env: {}, workdir: '/', staticOnly: false, musl: false, summary: 'an image the analysis does not know: its config may set USER, HOME and Go\'s variables', unknownConfig: true };
}

/**
 * Distributions' own base images: their config sets no USER and no Go variable, so Go's defaults
 * as root hold there although they are outside the table above.
 */
const DISTRIBUTION_IMAGES = new Set(['debian', 'ubuntu', 'busybox', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'archlinux']);

/** Whether an image outside the table is a distribution's own (`ubuntu:22.04`, `docker.io/library/debian`). */
export function isDistributionImage(name: string): boolean {
  return DISTRIBUTION_IMAGES.has(repositoryPath(name));
}

export function isToolchainFamily(family: ImageFamily): boolean {
  return family === 'golang' || family === 'golang-alpine';
}
