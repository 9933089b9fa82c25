// A build script's words with the arguments of its call: what `docker buildx build -f
// docker/${1/-//}$4/Dockerfile` names when a Makefile runs `buildx.sh develop … /bookworm`.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { scriptCall, withArguments, wordsWithArguments } from '../../../server/src/analysis/ci/scriptCalls';

describe('positional parameters of a called script', () => {
  const args = ['photo-prism', 'linux/amd64', undefined, '/bookworm'];

  it('puts the arguments in place, with bash\'s replace and default forms', () => {
    assert.equal(withArguments('docker/${1/-//}$4/Dockerfile', args), 'docker/photo/prism/bookworm/Dockerfile');
    assert.equal(withArguments('${1//p/P}', args), 'Photo-Prism');
    assert.equal(withArguments('$2', args), 'linux/amd64');
    assert.equal(withArguments('${5:-latest}', args), 'latest', 'a parameter past the last argument is empty');
    assert.equal(withArguments('${4:+sub}', args), 'sub');
    assert.equal(withArguments('x${7}y', args), 'xy');
    assert.equal(withArguments('no parameters', args), 'no parameters');
  });

  it('leaves a word unknown when a parameter it uses is only known at run time', () => {
    assert.equal(withArguments('tag-$3', args), undefined, 'the third argument was a variable');
    assert.equal(withArguments('${1/p*/x}', args), undefined, 'a glob pattern is not replaced');
    assert.equal(withArguments('$1', undefined), undefined, 'the arguments are unknown altogether');
  });

  it('splits a parameter written alone and unquoted into its words, and drops it when empty', () => {
    const word = (value: string, raw = value) => ({ value, raw });
    assert.deepEqual(wordsWithArguments([word('-t'), word('x'), word('$1'), word('$2', '"$2"'), word('$3')], ['-t a -t b', 'one two']),
      ['-t', 'x', '-t', 'a', '-t', 'b', 'one two']);
    assert.deepEqual(wordsWithArguments([word('docker/$1')], [undefined]), ['docker/$1'], 'an unknown word stays as written');
  });
});

describe('the script a command runs', () => {
  it('reads a path, or a shell with its flags before the path', () => {
    assert.deepEqual(scriptCall(['scripts/docker/buildx.sh', 'develop', '$(TAG)', 'x']), { written: 'scripts/docker/buildx.sh', args: ['develop', undefined, 'x'] });
    assert.deepEqual(scriptCall(['bash', '-ex', 'build.sh', 'a']), { written: 'build.sh', args: ['a'] });
    assert.deepEqual(scriptCall(['./build.sh']), { written: './build.sh', args: [] });
  });

  it('takes no command on PATH and no `sh -c` text for a script', () => {
    assert.equal(scriptCall(['make', 'image']), undefined);
    assert.equal(scriptCall(['sh', '-c', 'docker build .']), undefined);
    assert.equal(scriptCall(['bash']), undefined);
  });
});
