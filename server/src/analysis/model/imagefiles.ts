// Where the files COPYs bring from the build context sit in the image, as far as a fix writing new
// COPY lines or a rule saying a file is missing needs: how to write an image directory as a COPY
// destination, and whether something other than a COPY from the context may have put a path there.
import { isCopy, type Stage } from './model';

/**
 * Whether something other than a COPY from the build context may have written `imagePath`
 * before `position`: a `COPY --from`, an `ADD` of a URL or a git repository, a COPY whose
 * destination is only known at build time. Then the analysis cannot say the file is missing.
 */
export function mayBeWrittenOtherwise(stage: Stage, position: number, imagePath: string): boolean {
  return stage.chain.some((s) => s.instructions.filter(isCopy).some((c) => {
    if (c.position >= position) return false;
    if (!c.destResolved) return true;
    if (!c.from && !c.sources.some((src) => /^[a-z]+:\/\//i.test(src.value) || src.value.startsWith('git@'))) return false;
    const dest = c.destResolved === '/' ? '/' : c.destResolved.replace(/\/+$/, '');
    return imagePath === dest || imagePath.startsWith(dest === '/' ? '/' : `${dest}/`);
  }));
}

/** How a directory of the image is written in a COPY destination run from `workdir`: `./lib/` or `/abs/`. */
export function destinationFor(imageDir: string, workdir: string): string {
  if (imageDir === workdir) return './';
  if (workdir !== '/' && imageDir.startsWith(`${workdir}/`)) return `./${imageDir.slice(workdir.length + 1)}/`;
  return imageDir === '/' ? '/' : `${imageDir}/`;
}
