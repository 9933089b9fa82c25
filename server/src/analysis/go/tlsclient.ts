// Whether a program can open a TLS connection, as far as its sources in the build context show.
// Only a module with no requirements can be told not to: it links the standard library alone, and
// there the only ways to a verified TLS connection are crypto/tls, net/smtp and net/http's client.
// A module with requirements may open one through any of them, unseen.
import type { BuildContext } from '../model/context';
import { perObjectAnd } from '../model/memo';
import type { DockerfileModel, RunInstruction } from '../model/model';
import { moduleOfCommand } from './commandmodule';
import type { GoCommand } from './gocommand';

/** More files than a module with no requirements has: beyond them the answer is "may". */
const MAX_FILES = 500;

const TLS_PACKAGES = /"(?:crypto\/tls|crypto\/x509|net\/smtp)"/;
/** `http "net/http"` or an unnamed import (`"net/http"`): the name the file calls the package by. */
const NET_HTTP_IMPORT = /(?:^|[\s(])([A-Za-z_]\w*|\.)?\s*"net\/http"/m;
const CLIENT_NAMES = ['Get', 'Post', 'Head', 'PostForm', 'Client', 'DefaultClient', 'Transport', 'DefaultTransport', 'NewRequest', 'NewRequestWithContext'];

function fileMayDialTls(source: string): boolean {
  if (TLS_PACKAGES.test(source)) return true;
  const http = NET_HTTP_IMPORT.exec(source);
  if (!http) return false;
  const name = http[1] ?? 'http';
  // A dot import puts the client's names in the file's own scope: no telling them apart.
  if (name === '.') return true;
  return new RegExp(`\\b${name}\\.(?:${CLIENT_NAMES.join('|')})\\b`).test(source);
}

const moduleMayDialTls = perObjectAnd((context: BuildContext, dir: string): boolean => {
  const files = context.listFiles(dir, MAX_FILES + 1);
  if (files.length > MAX_FILES) return true;
  const sources = files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !/(?:^|\/)(?:vendor|testdata)\//.test(f));
  if (sources.length === 0) return true;
  return sources.some((f) => fileMayDialTls(context.readText(f) ?? 'import "crypto/tls"'));
});

/**
 * False when the build's module is known to open no TLS connection (no requirements, and none of
 * its Go files uses crypto/tls, crypto/x509, net/smtp or net/http's client); true when it may.
 */
export function mayDialTls(model: DockerfileModel, run: RunInstruction, go: GoCommand): boolean {
  const { module } = moduleOfCommand(model, run, go);
  if (!model.context || !module || module.requiresModules || module.hasVendor) return true;
  return moduleMayDialTls(model.context, module.dir);
}

/**
 * Modules whose only purpose is to compile root certificates into the program (imported for their
 * side effect): a binary that links one verifies TLS without any file of the image.
 */
const EMBEDDED_ROOTS = new Set(['golang.org/x/crypto/x509roots/fallback', 'github.com/breml/rootcerts']);

/** The module the build compiles requires (directly) a module that embeds root certificates. */
export function embedsRootCertificates(model: DockerfileModel, run: RunInstruction, go: GoCommand): boolean {
  const { module } = moduleOfCommand(model, run, go);
  return module?.goMod.requires.some((r) => !r.indirect && EMBEDDED_ROOTS.has(r.path)) === true;
}
