import { imageTagRange, resolvedImage } from '../model/imageref';
import { defineRule } from './api';

/** gcr.io/distroless/static-debian12, base-nossl-debian13…: tagged latest, nonroot, debug, never a version. */
const DEBIAN_RELEASE_CHANNEL = /(^|\/)distroless\/[\w.-]+-debian\d+$/;

const PIN_BY_DIGEST = 'Add `@sha256:…` to build on exactly the same image every time.';

export default defineRule({
  id: 'GD012',
  name: 'base-image-not-pinned',
  severity: 'warning',
  summary: 'A base image is not pinned: no tag or `:latest` (warning), or a tag without an `@sha256:` digest (info), so the image under every cached layer can change between builds.',
  fixable: false,
  needsCache: true,
  scoped: true,
  check({ model, inScope, report }) {
    for (const stage of model.stages) {
      if (stage.image.stage || !inScope(stage)) continue;
      // undefined: built from an ARG whose value only the build knows.
      const image = resolvedImage(model, stage);
      if (!image || image.digest || image.name.toLowerCase() === 'scratch' || image.name === '') continue;
      const tagRange = imageTagRange(model, stage);
      const untagged = image.tag === undefined || image.tag.toLowerCase() === 'latest';
      // Distroless images named for their Debian release (static-debian12) publish no version tags:
      // latest is the release's channel, and only a digest pins it.
      if (untagged && DEBIAN_RELEASE_CHANNEL.test(image.name)) {
        report({
          range: tagRange ?? stage.image.range,
          severity: 'info',
          message: `\`${image.reference}\` ${image.tag === undefined ? `has no tag, so it pulls \`${image.name}:latest\`` : 'is the latest build'}: this image publishes no version tags (its Debian release is in the name), and each rebuild moves it, so the next build rebuilds every layer after this FROM. ${PIN_BY_DIGEST}`,
        });
        continue;
      }
      if (untagged) {
        const what = image.tag === undefined ? `\`${image.reference}\` has no tag, so it pulls \`${image.name}:latest\`, whatever` : `\`${image.reference}\` is whatever`;
        report({
          range: tagRange ?? stage.image.range,
          message: `${what} was pushed last: a new major release can break the build, and each time it moves, every layer after this FROM rebuilds. Name a version, e.g. \`${image.name}:<version>\`.`,
        });
        continue;
      }
      report({
        range: tagRange ?? stage.image.range,
        severity: 'info',
        message: `\`${image.reference}\` is a tag, not a digest: each patch release or rebuild of the image moves it, and the next build then rebuilds every layer after this FROM. ${PIN_BY_DIGEST}`,
      });
    }
  },
});
