import { absoluteSource, finalBinaries, stageChain, type FinalBinary } from '../cache/artifacts';
import { insertLinesAfter } from '../fixing/edits';
import { mountCovers } from '../go/goenv';
import { embedsRootCertificates, mayDialTls } from '../go/tlsclient';
import { isCopy, isRun, type CopyInstruction, type Stage } from '../model/model';
import { holdsFilesOnly } from '../model/startup';
import type { Fix } from '../model/types';
import { defineRule } from './api';

/** Where Go's crypto/x509 looks for root certificates on Linux. */
const CA_DIRS = ['/etc/ssl', '/etc/pki'];
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** A COPY that brings root certificates: into a CA directory, or of one (or of a directory holding one). */
function copiesCertificates(copy: CopyInstruction): boolean {
  const dest = copy.destResolved;
  if (dest && CA_DIRS.some((dir) => mountCovers(dir, dest))) return true;
  return copy.from !== undefined && copy.sources.some((s) => {
    const source = absoluteSource(s.value);
    return CA_DIRS.some((dir) => mountCovers(dir, source) || mountCovers(source, dir));
  });
}

/** Whether a stage is known to hold CA_BUNDLE: Debian golang and Alpine images ship it. */
function hasCaBundle(stage: Stage): boolean {
  return stageChain(stage).some((s) => ['golang', 'golang-alpine', 'alpine'].includes(s.image.facts.family)
    || s.instructions.some((i) => isRun(i) && i.commands.some((c) => c.words.some((w) => w.value === 'ca-certificates'))));
}

/** The builder the bundle can be copied from, named as the binary's COPY names it. */
function certificateSource(binaries: readonly FinalBinary[]): string | undefined {
  for (const { copy } of binaries) {
    if (copy?.from?.stage && hasCaBundle(copy.from.stage)) return copy.from.value;
  }
  return undefined;
}

export default defineRule({
  id: 'GD019',
  name: 'scratch-without-ca-certificates',
  severity: 'info',
  summary: 'The final image is scratch with a Go binary but no CA certificates, so every TLS connection the binary makes fails.',
  fixable: true,
  check({ model, report }) {
    const final = model.finalStage;
    // An image that starts nothing opens no connection: its files are exported, not run.
    if (!final || final.facts.family !== 'scratch' || holdsFilesOnly(final)) return;
    const binaries = finalBinaries(model);
    // Certificates only matter to a program that opens TLS connections; its sources may show it opens none.
    if (binaries.length === 0 || binaries.every((b) => b.build && !mayDialTls(model, b.build.run, b.build.go))) return;
    // A program that compiles its root certificates in (x509roots/fallback, breml/rootcerts) needs no file for them.
    if (binaries.every((b) => b.build && embedsRootCertificates(model, b.build.run, b.build.go))) return;
    const chain = stageChain(final);
    if (chain.some((s) => s.instructions.some((i) => isCopy(i) && copiesCertificates(i)))) return;
    // A binary told where its certificates are has them somewhere we cannot see.
    if (final.endEnv.has('SSL_CERT_FILE') || final.endEnv.has('SSL_CERT_DIR')) return;
    const source = certificateSource(binaries);
    const binary = binaries.find((b) => b.path)?.path ?? 'the Go binary';
    const fixes: Fix[] = source === undefined ? [] : [{
      title: `Copy the CA certificates from ${source}`,
      edits: [insertLinesAfter(model, final.instructions[0], [`COPY --from=${source} ${CA_BUNDLE} /etc/ssl/certs/`])],
      preferred: true,
    }];
    report({
      range: final.image.range,
      message: `The final image starts FROM scratch and has no CA certificates: every HTTPS or TLS connection ${binary} opens fails with "x509: certificate signed by unknown authority". ${source === undefined ? `Copy ${CA_BUNDLE} into /etc/ssl/certs/ from a stage that has it.` : `Copy ${CA_BUNDLE} from stage \`${source}\`.`}`,
      fixes,
    });
  },
});
