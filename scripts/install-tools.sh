#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, from one pinned list (scripts/tools.json):
#   apt packages (only those missing), and Go tools with `go install <package>@<version>` into
#   .tools/<name>-<version>/ (git-ignored), stamped with -ldflags where the list says so.
# A Go tool whose folder already holds the binary built from the same package, version and ldflags is skipped.
# npm tools (a Node binary published as an npm package) are unpacked with `npm pack` into .tools/<name>-<version>/.
# Usage: scripts/install-tools.sh [--go-only|--apt-only|--no-apt]
set -euo pipefail
cd "$(dirname "$0")/.."
list=scripts/tools.json
mode="${1:-all}"

if [ "$mode" != "--go-only" ] && [ "$mode" != "--no-apt" ]; then
  need=()
  for pkg in $(node -e 'for (const p of require("./'"$list"'").apt) console.log(p.name)'); do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

if [ "$mode" != "--apt-only" ]; then
  command -v go >/dev/null 2>&1 || { echo "install-tools: 'go' is not on PATH (Go >= 1.24 is needed to install the pinned tools)" >&2; exit 1; }
  # One line per tool: name, version, package, ldflags, binary, module, separated by US (0x1f) — a tab would be
  # whitespace to `read`, which would merge an empty ldflags field with the next one.
  node -e 'for (const t of require("./'"$list"'").go) console.log([t.name, t.version, t.package, t.ldflags, t.binary, t.module ?? ""].join("\x1f"))' |
  while IFS=$'\x1f' read -r name version package ldflags binary module; do
    dir=".tools/$name-$version"
    stamp="$package@$version $ldflags"
    if [ -x "$dir/$binary" ] && [ "$(cat "$dir/.installed" 2>/dev/null)" = "$stamp" ]; then
      continue
    fi
    echo "install-tools: go install $package@$version -> $dir"
    mkdir -p "$dir"
    rm -f "$dir/.installed"
    start=$(date +%s)
    if [ -z "$module" ]; then
      GOBIN="$PWD/$dir" go install -ldflags "$ldflags" "$package@$version"
    else
      # `go install <package>@<version>` also reads the module's version list (to warn about deprecation), and some
      # module proxies refuse that list for a module whose versions they serve. Requiring the pinned version from a
      # throw-away module installs the same build without reading the list.
      work=$(mktemp -d)
      bin="$PWD/$dir"
      if ! (cd "$work" && go mod init install-tools >/dev/null 2>&1 && go get "$package@$version" &&
        GOBIN="$bin" go install -ldflags "$ldflags" "$package"); then
        rm -rf "$work"
        exit 1
      fi
      rm -rf "$work"
    fi
    echo "$stamp" >"$dir/.installed"
    echo "install-tools: $name $version installed in $(( $(date +%s) - start ))s"
  done
fi

if [ "$mode" = "all" ] || [ "$mode" = "--no-apt" ]; then
  node -e 'for (const t of require("./'"$list"'").npm ?? []) console.log([t.name, t.version, t.package, t.binary].join("\t"))' |
  while IFS=$'\t' read -r name version package binary; do
    dir=".tools/$name-$version"
    [ -x "$dir/$binary" ] && continue
    echo "install-tools: npm pack $package -> $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    tarball=$(cd "$dir" && npm pack --silent "$package")
    tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1
    rm -f "$dir/$tarball"
  done
fi
