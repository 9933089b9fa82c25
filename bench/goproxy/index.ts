// The offline Go module proxy of the rebuild benchmark: Debian's Go library packages turned
// into a GOPROXY folder once (cached outside the repository), then served on 127.0.0.1.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debianModules, downloadPackages } from './debian';
import { writeProxy } from './layout';

/**
 * The dependency closure (Debian `Depends`) of the libraries bench/service imports: cobra,
 * viper, logrus, zap, prometheus client_golang, grpc, protobuf, gin, x/text, uuid and yaml.v3.
 */
export const DEBIAN_PACKAGES = `
golang-github-alecthomas-units-dev golang-github-aws-aws-sdk-go-dev golang-github-benbjohnson-clock-dev
golang-github-beorn7-perks-dev golang-github-burntsushi-toml-dev golang-github-cespare-xxhash-dev
golang-github-cpuguy83-go-md2man-v2-dev golang-github-davecgh-go-spew-dev golang-github-fsnotify-fsnotify-dev
golang-github-gin-contrib-sse-dev golang-github-gin-gonic-gin-dev golang-github-go-kit-log-dev
golang-github-go-logfmt-logfmt-dev golang-github-go-playground-locales-dev
golang-github-go-playground-universal-translator-dev golang-github-go-playground-validator-v10-dev
golang-github-golang-protobuf-1-3-dev golang-github-golang-protobuf-1-5-dev golang-github-google-go-cmp-dev
golang-github-google-uuid-dev golang-github-hashicorp-hcl-dev golang-github-jmespath-go-jmespath-dev
golang-github-jpillora-backoff-dev golang-github-json-iterator-go-dev golang-github-julienschmidt-httprouter-dev
golang-github-kr-fs-dev golang-github-leodido-go-urn-dev golang-github-magiconair-properties-dev
golang-github-mattn-go-isatty-dev golang-github-mitchellh-mapstructure-dev golang-github-modern-go-concurrent-dev
golang-github-modern-go-reflect2-dev golang-github-mwitkow-go-conntrack-dev golang-github-pelletier-go-toml-dev
golang-github-pelletier-go-toml.v2-dev golang-github-pkg-errors-dev golang-github-pkg-sftp-dev
golang-github-pmezard-go-difflib-dev golang-github-prometheus-client-golang-dev
golang-github-prometheus-client-model-dev golang-github-prometheus-common-dev golang-github-prometheus-procfs-dev
golang-github-russross-blackfriday-v2-dev golang-github-shurcool-sanitized-anchor-name-dev
golang-github-sirupsen-logrus-dev golang-github-spf13-afero-dev golang-github-spf13-cast-dev
golang-github-spf13-cobra-dev golang-github-spf13-jwalterweatherman-dev golang-github-spf13-pflag-dev
golang-github-spf13-viper-dev golang-github-stretchr-objx-dev golang-github-stretchr-testify-dev
golang-github-subosito-gotenv-dev golang-github-ugorji-go-codec-dev golang-glog-dev golang-go.uber-atomic-dev
golang-go.uber-multierr-dev golang-go.uber-zap-dev golang-golang-x-crypto-dev golang-golang-x-net-dev
golang-golang-x-oauth2-dev golang-golang-x-oauth2-google-dev golang-golang-x-sync-dev golang-golang-x-sys-dev
golang-golang-x-term-dev golang-golang-x-text-dev golang-google-cloud-compute-metadata-dev
golang-google-genproto-dev golang-google-grpc-dev golang-google-protobuf-dev
golang-gopkg-alecthomas-kingpin.v2-dev golang-gopkg-ini.v1-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev
golang-protobuf-extensions-dev golang-uber-goleak-dev
`.split(/\s+/).filter(Boolean);

export interface PreparedProxy {
  dir: string;
  modules: number;
}

/** Builds the proxy folder under `cacheDir` unless one built from the same inputs is there. */
export function prepareProxy(cacheDir: string, log: (line: string) => void): PreparedProxy {
  const dir = path.join(cacheDir, 'proxy');
  const debs = downloadPackages(DEBIAN_PACKAGES, path.join(cacheDir, 'debs'));
  const generator = ['debian.ts', 'gomod.ts', 'layout.ts', 'zip.ts'].map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'));
  const stamp = createHash('sha256').update(JSON.stringify([[...debs.values()].map((d) => path.basename(d)), generator])).digest('hex');
  const stampFile = path.join(dir, '.stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return { dir, modules: fs.readdirSync(dir).length };
  }
  log(`building the Go module proxy in ${dir} from ${debs.size} Debian packages`);
  const served = writeProxy(debianModules(debs, path.join(cacheDir, 'unpacked')), dir);
  fs.writeFileSync(stampFile, stamp);
  return { dir, modules: served.size };
}
