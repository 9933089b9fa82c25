// BuildKit's platform variables as a Dockerfile writes them, and the platform a stage runs on.
import type { Stage } from '../model/model';

/** `$TARGETOS`, `${TARGETARCH}`, `$TARGETVARIANT`, `$TARGETPLATFORM`: the platform being built for. */
export const TARGET_PLATFORM = /\$\{?TARGET(?:OS|ARCH|VARIANT|PLATFORM)\b/;
/** `$BUILDPLATFORM`, `$BUILDOS`, `$BUILDARCH`: the platform of the machine that builds. */
export const BUILD_PLATFORM = /\$\{?BUILD(?:PLATFORM|OS|ARCH)\b/;

/**
 * Whether a stage whose FROM names an image runs on the target platform: no `--platform`, or one
 * that follows the target. A fixed platform (`--platform=linux/amd64`) is a deliberate choice.
 */
export function runsOnTargetPlatform(root: Stage): boolean {
  const platform = root.image.platform?.value;
  return platform === undefined || (!BUILD_PLATFORM.test(platform) && TARGET_PLATFORM.test(platform));
}
