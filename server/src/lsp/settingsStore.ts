// Settings per document, the vscode-eslint way: pulled from the editor with
// `workspace/configuration` (scoped to the document), remembered, and forgotten on
// `didChangeConfiguration`. Editors that cannot be asked push one global value instead.
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';

export class SettingsStore {
  private readonly perDocument = new Map<string, Promise<ServerSettings>>();
  private global: ServerSettings = DEFAULT_SETTINGS;

  /** `pull` is undefined when the editor does not answer `workspace/configuration`. */
  constructor(private readonly pull: ((uri: string) => Promise<unknown>) | undefined, private readonly onError: (error: unknown) => void) {}

  get(uri: string): Promise<ServerSettings> {
    if (!this.pull) return Promise.resolve(this.global);
    let settings = this.perDocument.get(uri);
    if (!settings) {
      settings = this.pull(uri).then(readSettings, (error) => {
        this.onError(error);
        this.perDocument.delete(uri);
        return DEFAULT_SETTINGS;
      });
      this.perDocument.set(uri, settings);
    }
    return settings;
  }

  /** The settings changed: forget all, and keep a pushed value for editors that cannot be asked. */
  changed(pushed: unknown): void {
    this.perDocument.clear();
    if (!this.pull) this.global = readSettings(pushed);
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }
}
