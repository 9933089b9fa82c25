// Where the build code lens goes: the first FROM, past parser directives, comments and global ARGs.
import { DockerfileParser } from 'dockerfile-ast';

/** Zero-based line of the first FROM, or undefined when the text has none. */
export function firstFromLine(text: string): number | undefined {
  return DockerfileParser.parse(text).getFROMs()[0]?.getRange().start.line;
}
