// The import paths of a Go file, as the standard-library-only check reads them.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPaths } from '../../../server/src/analysis/go/goImports';

describe('Go import paths', () => {
  it('reads single imports and blocks, with names, blank and dot imports', () => {
    const source = [
      '// Package app serves.', '//go:build linux', 'package main', '',
      'import "fmt"', 'import log2 "log"', '',
      'import (', '\t"net/http"', '\t_ "embed"', '\t. "strings"', '\tuuid "github.com/google/uuid" // ids', '\t`example.com/app/internal/x`', ')', '',
      'func main() { fmt.Println(`import "github.com/not/imported"`) }',
    ].join('\n');
    assert.deepEqual(importPaths(source).sort(), ['embed', 'example.com/app/internal/x', 'fmt', 'github.com/google/uuid', 'log', 'net/http', 'strings']);
  });

  it('skips commented-out imports, and a block comment that reads like a declaration', () => {
    const source = ['package main', '/*', 'func old() {}', '*/', 'import (', '\t"os"', '\t// "github.com/pkg/errors"', '\t/* "golang.org/x/sync" */', ')', 'func main() {}'].join('\n');
    assert.deepEqual(importPaths(source), ['os']);
  });
});
