// Problems the user should hear about once (a misspelt rule id, a missing build context folder),
// not on every keystroke: each distinct text is shown and logged the first time only.
const MAX_REMEMBERED = 1000;

export class OnceMessages {
  private readonly seen = new Set<string>();

  constructor(private readonly show: (text: string) => void, private readonly log: (text: string) => void) {}

  report(texts: readonly string[]): void {
    for (const text of texts) {
      if (this.seen.has(text)) continue;
      if (this.seen.size >= MAX_REMEMBERED) this.seen.clear();
      this.seen.add(text);
      this.log(text);
      // The first line is enough for a notification; the log keeps the rest (a stack, say).
      this.show(text.split('\n')[0]);
    }
  }
}
