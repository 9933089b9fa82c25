// The build context Build and Profile, Measure the Fix and build records use when
// goDockerfileCache.buildContext is empty: the one the language server analyses the Dockerfile
// with. The build features work without the server: when it is not running or does not answer,
// the Dockerfile's folder is used, as before the analysis knew better.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BUILD_CONTEXT_REQUEST, type BuildContextAnswer, type BuildContextParams } from '../../server/src/features/buildContext';
import type { BuildOptions } from '../../server/src/profile/docker';
import { readBuildSettings } from './profile/settings';

/** The default build context of a Dockerfile on disk; undefined when it cannot be known now. */
export type ContextSource = (uri: vscode.Uri) => Promise<BuildContextAnswer | undefined>;

/** Reading a repository's CI files takes milliseconds; a server that takes this long is busy elsewhere. */
const ANSWER_WITHIN_MS = 3000;

export function serverBuildContext(client: LanguageClient): ContextSource {
  return async (uri) => {
    if (!client.isRunning()) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ANSWER_WITHIN_MS);
    });
    try {
      const params: BuildContextParams = { uri: uri.toString() };
      const answer = await Promise.race([client.sendRequest<BuildContextAnswer | null>(BUILD_CONTEXT_REQUEST, params), late]);
      return answer ?? undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The goDockerfileCache.* build settings of a Dockerfile on disk, with the server's context when
 * buildContext is empty; `because` names the build that uses that context.
 */
export async function buildSettingsOf(uri: vscode.Uri, contextOf: ContextSource): Promise<{ options: BuildOptions; because?: string }> {
  const configuration = vscode.workspace.getConfiguration('goDockerfileCache', uri);
  const setting = configuration.get('buildContext');
  const found = typeof setting === 'string' && setting.trim() !== '' ? undefined : await contextOf(uri);
  return { options: readBuildSettings((key) => configuration.get(key), uri.fsPath, found?.dir), because: found?.because };
}
