import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstFromLine } from '../../../client/src/profile/firstFrom';

describe('build code lens placement', () => {
  it('sits above the first FROM, past directives, comments and global ARGs', () => {
    const text = ['# syntax=docker/dockerfile:1', '# builds the api', 'ARG GO_VERSION=1.22', '', 'from golang:${GO_VERSION} AS build', 'FROM scratch'].join('\n');
    assert.equal(firstFromLine(text), 4);
  });

  it('is absent from a file without FROM', () => {
    assert.equal(firstFromLine('RUN echo hi\n'), undefined);
    assert.equal(firstFromLine('RUN cat <<EOF\nFROM x\nEOF\n'), undefined);
  });
});
