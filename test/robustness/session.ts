// What the long editing session is made of: a seeded 300-line Go Dockerfile and a seeded stream of
// edits a person makes in it (typing a character at a time, backspacing, deleting a selection,
// pasting lines copied from elsewhere in the file). Pure: the same seed gives the same session.
import type { TextEdit } from 'vscode-languageserver-protocol';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** mulberry32: small, fast and good enough to vary edits; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickFrom = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const STAGE_BODY = [
  'WORKDIR /src',
  'ENV CGO_ENABLED=0 GOFLAGS=-mod=mod',
  'ARG VERSION=dev',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN go vet ./...',
  'RUN --mount=type=cache,target=/root/.cache/go-build go test ./...',
  'RUN go build -ldflags "-X main.version=${VERSION}" -o /out/app . && \\',
  '    echo built',
  '# keep the module download above the source copy',
  'RUN --mount=type=cache,target=/go/pkg/mod go build -trimpath -o /out/tool ./cmd/tool',
  'ENV GOCACHE=/cache/go-build',
  'RUN apt-get update && apt-get install -y ca-certificates',
  '',
];

/** A multi-stage Go Dockerfile of exactly `lines` lines (the last one empty). */
export function goDockerfile(lines: number, random: () => number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1'];
  let stage = 0;
  while (out.length < lines - 4) {
    out.push(`FROM golang:1.22 AS build${stage++}`);
    const body = 8 + Math.floor(random() * 12);
    for (let i = 0; i < body && out.length < lines - 4; i++) out.push(pickFrom(random, STAGE_BODY));
    // A continued line must not be the stage's last.
    if (out[out.length - 1].endsWith('\\')) out.push('    echo done');
  }
  out.push('FROM gcr.io/distroless/static-debian12', `COPY --from=build${stage - 1} /out/app /app`, 'ENTRYPOINT ["/app"]');
  while (out.length < lines) out.push('');
  return out.slice(0, lines).join('\n');
}

/** Things a person types into a Go Dockerfile, character by character. */
const TYPED = [
  'RUN go build -o /out/app .\n',
  ' --mount=type=cache,target=/root/.cache/go-build',
  'COPY . .\n',
  'ENV GOCACHE=/tmp/cache\n',
  'ARG GITHUB_TOKEN\n',
  'FROM golang:1.22 AS extra\n',
  'RUN go mod download\n',
  '-trimpath ',
  '\\\n    && go generate ./...',
  '$(date) ',
  'USER 65532:65532\n',
  '# ünïcödé 🚀\n',
];

export type EditKind = 'type' | 'backspace' | 'delete-selection' | 'paste';

export interface SessionEdit {
  kind: EditKind;
  edit: TextEdit;
}

/**
 * An endless stream of edits against the current text. Typing and backspacing continue where the
 * cursor is, as they do in an editor; a selection delete or a paste moves it.
 */
export class EditingSession {
  private cursor = 0;
  /** What is left to type, and how many more times backspace is pressed, in the current burst. */
  private typing = '';
  private backspaces = 0;

  constructor(private readonly random: () => number, private readonly targetLines: number) {}

  next(document: TextDocument): SessionEdit {
    const text = document.getText();
    this.cursor = Math.min(this.cursor, text.length);
    if (this.typing !== '') return this.typeNext(document);
    if (this.backspaces > 0) return this.backspace(document);
    const lines = document.lineCount;
    // Drift back towards the target size, so the file stays a 300-line Dockerfile.
    const grow = lines < this.targetLines * 0.9 ? 0.2 : lines > this.targetLines * 1.1 ? -0.2 : 0;
    const roll = this.random();
    if (roll < 0.2) {
      this.typing = pickFrom(this.random, TYPED);
      if (this.random() < 0.3) this.cursor = document.offsetAt({ line: Math.floor(this.random() * lines), character: 0 });
      return this.typeNext(document);
    }
    if (roll < 0.5) {
      this.backspaces = 1 + Math.floor(this.random() * 8);
      return this.backspace(document);
    }
    if (roll < 0.75 - grow) return this.deleteSelection(document);
    return this.paste(document);
  }

  private typeNext(document: TextDocument): SessionEdit {
    // Surrogate pairs are typed as one keystroke, as an editor does.
    const char = String.fromCodePoint(this.typing.codePointAt(0)!);
    this.typing = this.typing.slice(char.length);
    const at = document.positionAt(this.cursor);
    this.cursor += char.length;
    return { kind: 'type', edit: { range: { start: at, end: at }, newText: char } };
  }

  private backspace(document: TextDocument): SessionEdit {
    this.backspaces--;
    const text = document.getText();
    let start = Math.max(0, this.cursor - 1);
    // One backspace removes a whole emoji, never half of its surrogate pair.
    if (start > 0 && /[\udc00-\udfff]/.test(text[start] ?? '')) start--;
    const edit = { range: { start: document.positionAt(start), end: document.positionAt(this.cursor) }, newText: '' };
    this.cursor = start;
    return { kind: 'backspace', edit };
  }

  private deleteSelection(document: TextDocument): SessionEdit {
    const first = Math.floor(this.random() * document.lineCount);
    const last = Math.min(document.lineCount, first + 1 + Math.floor(this.random() * 4));
    const start = { line: first, character: 0 };
    const end = last >= document.lineCount ? document.positionAt(document.getText().length) : { line: last, character: 0 };
    this.cursor = document.offsetAt(start);
    return { kind: 'delete-selection', edit: { range: { start, end }, newText: '' } };
  }

  private paste(document: TextDocument): SessionEdit {
    const from = Math.floor(this.random() * document.lineCount);
    const count = 1 + Math.floor(this.random() * 8);
    const copied = document.getText({ start: { line: from, character: 0 }, end: { line: from + count, character: 0 } });
    const at = { line: Math.floor(this.random() * document.lineCount), character: 0 };
    const newText = copied.endsWith('\n') || copied === '' ? copied : `${copied}\n`;
    this.cursor = document.offsetAt(at) + newText.length;
    return { kind: 'paste', edit: { range: { start: at, end: at }, newText } };
  }
}
