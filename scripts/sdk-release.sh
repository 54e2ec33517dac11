#!/usr/bin/env bash
# Every step of an SDK release up to the upload: the package built as its registry takes it, checked, and, where the
# registry's tool can rehearse the upload, rehearsed. The workflow's release jobs run this, then upload what it made.
#
# Usage: bash scripts/sdk-release.sh node|python|php|all [--tag sdk-<name>-vX.Y.Z]
#   --tag   refuse unless the tag names this SDK and its version: package.json (Node), interflow.__version__ (Python),
#           the newest entry of CHANGELOG.md (PHP, whose version Packagist takes from the tag itself); each version
#           must also have its CHANGELOG.md entry.
# Output: .artifacts/sdks/<name>/ (npm tarball; wheel and sdist; composer zip).
# Needs: Node and npm; Debian's python3-build and twine (or pip's build and twine); composer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
which=${1:?usage: sdk-release.sh node|python|php|all [--tag TAG]}
tag=""
[ "${2:-}" = "--tag" ] && tag=${3:?--tag needs a tag}
out=$root/.artifacts/sdks

version_of() {
  case $1 in
    node) node -p 'require("./sdks/node/package.json").version' ;;
    python) sed -n 's/^__version__ = "\(.*\)"$/\1/p' sdks/python/src/interflow/__init__.py ;;
    php) sed -n 's/^## \([0-9][^ ]*\).*/\1/p' sdks/php/CHANGELOG.md | head -1 ;;
  esac
}

release() {
  local sdk=$1 version
  version=$(version_of "$sdk")
  [ -n "$version" ] || { echo "sdk-release: no version found for $sdk" >&2; exit 1; }
  grep -q "^## $version\b" "sdks/$sdk/CHANGELOG.md" || { echo "sdk-release: sdks/$sdk/CHANGELOG.md has no entry for $version" >&2; exit 1; }
  if [ -n "$tag" ] && [ "$tag" != "sdk-$sdk-v$version" ]; then
    echo "sdk-release: tag $tag is not this package's version: $sdk is $version (sdk-$sdk-v$version)" >&2
    exit 1
  fi
  rm -rf "${out:?}/$sdk" && mkdir -p "$out/$sdk"
  echo "== $sdk $version"
  case $sdk in
    node)
      (cd sdks/node && npm ci --no-audit --no-fund --loglevel=error && npm pack --pack-destination "$out/node" >/dev/null)
      # Everything npm publish does but the upload: the manifest, the files, the registry's checks.
      npm publish --dry-run "$out"/node/interflow-sdk-"$version".tgz 2>&1 | grep -E 'npm notice (name|version|filename|total files)|\(dry-run\)$|^\+ ' ;;
    python)
      # No build isolation: the build uses the installed setuptools, so it runs without the package index too.
      python3 -m build --no-isolation --sdist --wheel --outdir "$out/python" sdks/python >"$out/python-build.log" 2>&1 \
        || { cat "$out/python-build.log" >&2; exit 1; }
      rm -rf sdks/python/build sdks/python/src/*.egg-info
      python3 -m twine check --strict "$out"/python/*.whl "$out"/python/*.tar.gz ;;
    php)
      (cd sdks/php && composer validate --strict --no-interaction && composer archive --format=zip --dir="$out/php" --file="interflow-php-$version" --no-interaction)
      ;;
  esac
  ls "$out/$sdk"
}

if [ "$which" = all ]; then
  for sdk in node python php; do release "$sdk"; done
else
  release "$which"
fi
