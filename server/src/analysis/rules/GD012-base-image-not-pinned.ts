import { imageTagRange, resolvedImage } from '../model/imageref';
import { defineRule } from './api';

export default defineRule({
  id: 'GD012',
  name: 'base-image-not-pinned',
  severity: 'warning',
  summary: 'A base image is not pinned: no tag or `:latest` (warning), or a tag without an `@sha256:` digest (info), so the image under every cached layer can change between builds.',
  fixable: false,
  scoped: true,
  check({ model, inScope, report }) {
    for (const stage of model.stages) {
      if (stage.image.stage || !inScope(stage)) continue;
      // undefined: built from an ARG whose value only the build knows.
      const image = resolvedImage(model, stage);
      if (!image || image.digest || image.name.toLowerCase() === 'scratch' || image.name === '') continue;
      const tagRange = imageTagRange(model, stage);
      if (image.tag === undefined || image.tag.toLowerCase() === 'latest') {
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
        message: `\`${image.reference}\` is a tag, not a digest: each patch release or rebuild of the image moves it, and the next build then rebuilds every layer after this FROM. Add \`@sha256:…\` to build on exactly the same image every time.`,
      });
    }
  },
});
