// The effective Go environment as a table: value and where it came from, per variable.
import type { GoEnv } from '../../analysis/go/goenv';
import { code, table } from './markdown';

const SHOWN = ['GOPATH', 'GOMODCACHE', 'GOCACHE', 'CGO_ENABLED', 'GOFLAGS', 'GOOS', 'GOARCH', 'GOPROXY', 'GOPRIVATE'] as const;

/** GOPATH, GOMODCACHE, GOCACHE and CGO_ENABLED always; the others when something sets them. */
export function goEnvTable(env: GoEnv): string {
  const rows: string[][] = [];
  for (const name of SHOWN) {
    const value = env[name];
    if (value) rows.push([name, code(value.value), value.because]);
  }
  return table(['Variable', 'Value', 'Where it comes from'], rows);
}
