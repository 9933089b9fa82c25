// Command ids of the build features, as declared in package.json.
export const COMMANDS = {
  buildAndProfile: 'goDockerfileCache.buildAndProfile',
  showBuildOutput: 'goDockerfileCache.showBuildOutput',
  clearBuildAnnotations: 'goDockerfileCache.clearBuildAnnotations',
  getBuildAnnotations: 'goDockerfileCache.getBuildAnnotations',
  showLastBuild: 'goDockerfileCache.showLastBuild',
  openBuildRecord: 'goDockerfileCache.openBuildRecord',
  getBuildRecord: 'goDockerfileCache.getBuildRecord',
} as const;
