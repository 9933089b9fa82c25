// The rule registry. Adding a rule touches: its file, this list, docs/rules/<ID>.md and
// test/fixtures/rules/<ID>/ (test/unit/rules-meta.test.ts checks all four).
import type { Rule } from './api';
import GD001 from './GD001-source-before-module-download';
import GD003 from './GD003-go-build-without-build-cache';
import GD009 from './GD009-volatile-value-in-build';
import GD015 from './GD015-secret-in-arg-or-env';
import GD010 from './GD010-cgo-binary-in-static-runtime';
import GD002 from './GD002-go-sum-not-copied';
import GD004 from './GD004-module-download-without-cache';
import GD005 from './GD005-cache-mount-misses-go-cache-dir';
import GD006 from './GD006-cache-mount-hides-downloaded-modules';
import GD007 from './GD007-copy-from-cache-mount';
import GD008 from './GD008-volatile-arg-before-dependencies';
import GD016 from './GD016-build-without-trimpath';
import GD017 from './GD017-cross-compile-under-emulation';
import GD011 from './GD011-go-toolchain-in-final-image';
import GD018 from './GD018-cache-mount-not-writable-by-user';
import GD019 from './GD019-scratch-without-ca-certificates';
import GD020 from './GD020-final-image-runs-as-root';
import GD012 from './GD012-base-image-not-pinned';
import GD013 from './GD013-build-context-not-ignored';
import GD014 from './GD014-manifest-changed-in-build';
import GD021 from './GD021-module-cache-mount-lost-in-ci';
import GD022 from './GD022-layer-cache-not-exported';
import GD025 from './GD025-build-cache-defeated';
import GD023 from './GD023-module-download-misses-local-module';
import GD024 from './GD024-image-go-older-than-module';
import GD026 from './GD026-go-cache-mount-empty-in-ci';
import GD027 from './GD027-go-compiled-under-emulation';
import GD028 from './GD028-layer-cache-disabled';
// @registry-imports (keep sorted by id)

export const rules: readonly Rule[] = [
  GD001,
  GD003,
  GD009,
  GD015,
  GD010,
  GD002,
  GD004,
  GD005,
  GD006,
  GD007,
  GD008,
  GD016,
  GD017,
  GD011,
  GD018,
  GD019,
  GD020,
  GD012,
  GD013,
  GD014,
  GD021,
  GD022,
  GD025,
  GD023,
  GD024,
  GD026,
  GD027,
  GD028,
  // @registry-entries (keep sorted by id)
].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.id === id.toUpperCase());
}
