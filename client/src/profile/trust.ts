// Build and Profile runs docker with the workspace's Dockerfile, build context and settings, so a
// workspace the user has not trusted gets no build at all. Kept apart from the controller so the
// decision is plain code, with no vscode import.
export const UNTRUSTED_MESSAGE =
  "Go Dockerfile: Build and Profile is off in an untrusted workspace, because it runs docker with this workspace's Dockerfile, build context and settings. Trust the workspace to build.";

/** Why Build and Profile must not start here, or undefined when it may. */
export function buildRefusal(workspace: { readonly isTrusted: boolean }): string | undefined {
  return workspace.isTrusted ? undefined : UNTRUSTED_MESSAGE;
}
