#!/usr/bin/env bash
# Re-fetches the third-party browser files under web/vendor/ from npm, exactly as
# package-lock.json pins them (integrity hashes checked by `npm ci`), with each
# package's licence beside its files. Run it after changing package.json (then
# `npm install --package-lock-only` first) and commit web/vendor/ with the lock.
# Nothing runs at build or run time: the gateway embeds the committed files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
modules="$work/node_modules"
out="$here/vendor"
rm -rf "$out"
take() { # take PACKAGE FILE... : copies FILEs (paths inside the package) and its licence
  local package="$1"; shift
  mkdir -p "$out/$package"
  for file in "$@"; do
    cp "$modules/$package/$file" "$out/$package/$(basename "$file")"
  done
  cp "$modules/$package"/LICENSE* "$out/$package/"
  node -e 'const p=require(process.argv[1]); console.log(p.name+"@"+p.version)' \
    "$modules/$package/package.json" >"$out/$package/VERSION"
}
take react umd/react.production.min.js
take react-dom umd/react-dom.production.min.js
take graphiql graphiql.min.js graphiql.min.css
take uplot dist/uPlot.esm.js dist/uPlot.min.css
# graphql-ws's client as an ES module: client.js imports its shared chunk by a hashed
# name, kept as it is.
take graphql-ws dist/client.js $(cd "$modules/graphql-ws" && ls dist/common-*.js)
echo "vendored into $out:"
(cd "$out" && find . -type f | sort)
