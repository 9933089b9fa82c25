import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareGoVersions, goMinorVersion, moduleFacts, parseGoMod, parseGoWork, workspaceFile } from '../../../server/src/analysis/go/gomod';
import { memoryContext } from '../../../server/src/analysis/model/context';

const GO_MOD = `// The shop's API.
module example.com/shop

go 1.24.0

toolchain go1.24.3

require github.com/google/uuid v1.6.0

require (
	example.com/shop/lib v0.0.0
	"golang.org/x/text" v0.21.0 // indirect
	golang.org/x/sys v0.29.0 // indirect; used by text
)

replace example.com/shop/lib => ./lib
replace (
	golang.org/x/text v0.21.0 => golang.org/x/text v0.20.0
	example.com/shop/tools => ../tools // sibling checkout
)
`;

describe('go.mod', () => {
  it('reads module, go and toolchain lines, requirements with their indirect marks, replacements', () => {
    const mod = parseGoMod(GO_MOD);
    assert.equal(mod.module, 'example.com/shop');
    assert.deepEqual([mod.go, mod.goLine, mod.toolchain, mod.toolchainLine], ['1.24.0', 3, 'go1.24.3', 5]);
    assert.deepEqual(mod.requires.map((r) => [r.path, r.version, r.indirect]), [
      ['github.com/google/uuid', 'v1.6.0', false],
      ['example.com/shop/lib', 'v0.0.0', false],
      ['golang.org/x/text', 'v0.21.0', true],
      ['golang.org/x/sys', 'v0.29.0', true],
    ]);
    assert.deepEqual(mod.replaces.map((r) => [r.from, r.fromVersion, r.to, r.toVersion, r.local]), [
      ['example.com/shop/lib', undefined, './lib', undefined, true],
      ['golang.org/x/text', 'v0.21.0', 'golang.org/x/text', 'v0.20.0', false],
      ['example.com/shop/tools', undefined, '../tools', undefined, true],
    ]);
  });

  it('a module with no requirements has nothing to download; CRLF and stray text do not throw', () => {
    const mod = parseGoMod('module example.com/tiny\r\n\r\ngo 1.22\r\nthis is not a directive (\r\n');
    assert.equal(mod.module, 'example.com/tiny');
    assert.equal(mod.go, '1.22');
    assert.deepEqual(mod.requires, []);
    assert.doesNotThrow(() => parseGoMod('require (\nreplace => \n"unterminated\n`raw'));
  });
});

describe('go.work', () => {
  it('reads use directives in blocks and single lines', () => {
    const work = parseGoWork('go 1.23\n\nuse (\n\t./api\n\t./worker // jobs\n)\nuse ./tools\nreplace example.com/x => ./x\n');
    assert.equal(work.go, '1.23');
    assert.deepEqual(work.uses.map((u) => u.dir), ['./api', './worker', './tools']);
    assert.deepEqual(work.replaces.map((r) => r.to), ['./x']);
  });
});

describe('Go versions', () => {
  it('orders versions the way the go command does', () => {
    const ordered = ['1.20', '1.21', '1.21rc1', '1.21.0', '1.21.1', '1.22', 'go1.22.3', '1.24.0'];
    for (let i = 0; i + 1 < ordered.length; i++) assert.ok(compareGoVersions(ordered[i], ordered[i + 1])! < 0, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.equal(compareGoVersions('go1.22.3', '1.22.3'), 0);
    assert.equal(compareGoVersions('latest', '1.22'), undefined);
    assert.equal(goMinorVersion('1.24.0'), '1.24');
    assert.equal(goMinorVersion('go1.22'), '1.22');
  });
});

describe('module facts from the build context', () => {
  it('says whether there is anything to download, a go.sum, a vendor folder, and where replaced modules live', () => {
    const context = memoryContext({
      'svc/go.mod': 'module example.com/svc\ngo 1.22\nrequire example.com/lib v0.0.0\nreplace example.com/lib => ../lib\n',
      'svc/go.sum': '',
      'svc/vendor/modules.txt': '# example.com/lib v0.0.0 => ../lib\n',
      'lib/go.mod': 'module example.com/lib\ngo 1.22\n',
      'go.work': 'go 1.22\nuse ./svc\nuse ./lib\n',
    });
    const svc = moduleFacts(context, 'svc')!;
    assert.deepEqual([svc.hasGoSum, svc.hasVendor, svc.requiresModules], [true, true, true]);
    assert.deepEqual(svc.localReplaces.map((r) => r.dir), ['lib']);
    const lib = moduleFacts(context, 'lib')!;
    assert.deepEqual([lib.hasGoSum, lib.requiresModules], [false, false]);
    assert.equal(moduleFacts(context, '.'), undefined);
    assert.deepEqual(workspaceFile(context, '.')!.uses.map((u) => u.dir), ['./svc', './lib']);
  });
});
