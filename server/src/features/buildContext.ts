// The build context the editor's builds use when goDockerfileCache.buildContext is empty: the one
// the analysis reads (the context the repository's builds of the Dockerfile agree on, else its
// folder), asked of the language server so that Build, Profile, Measure the Fix and build records
// never build or look up another context than the diagnostics describe.

/** Client → server: the default build context of a Dockerfile on disk. */
export const BUILD_CONTEXT_REQUEST = 'goDockerfileCache/buildContext';

export interface BuildContextParams {
  uri: string;
}

export interface BuildContextAnswer {
  /** Absolute folder. */
  dir: string;
  /** The build that uses it (`Makefile:12`, `.github/workflows/ci.yml:30`); undefined for the Dockerfile's folder. */
  because?: string;
}
