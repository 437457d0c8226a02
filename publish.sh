#!/usr/bin/env bash
# One-file installs (README "Install"): a self-contained single-file plexsync per system, and the Stash plugin
# folder (manifest, program, example configuration) for each, as a folder and a .tar.gz.
#   ./publish.sh                          linux-x64 linux-arm64 linux-musl-x64 win-x64 osx-arm64
#   ./publish.sh --out DIR linux-x64      one system, into DIR (default out/publish)
#   ./publish.sh --no-aot ...             the plugin folder ships the single-file build even where Native AOT could build
#   ./publish.sh --aot-program ...        also the whole program with Native AOT (with ICU, so the worker runs), on this
#                                         machine's own system: DIR/<rid>-aot/plexsync and the Temporal core library
# Writes DIR/<rid>/plexsync[.exe] and DIR/stash-plugin-<rid>/plexsync/ (+ .tar.gz). The plugin folder's program
# runs the hook and the plugin's tasks only: it is built with invariant globalization, so that it needs no ICU
# (Stash's own Docker image is Alpine without icu-libs), and refuses the commands that compare Unicode text
# (worker, dev, check, dry runs). On this machine's own Linux system it is the Native AOT build when clang is
# installed (the hook starts about 6 times faster); Native AOT cannot build for another system.
set -euo pipefail
cd "$(dirname "$0")"
out=out/publish aot=1 aot_program=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --no-aot) aot=0; shift ;;
    --aot-program) aot_program=1; shift ;;
    -*) echo "unknown option $1; see the top of $0" >&2; exit 2 ;;
    *) break ;;
  esac
done
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 linux-musl-x64 win-x64 osx-arm64)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) native=linux-x64 ;;
  Linux-aarch64) native=linux-arm64 ;;
  *) native=none ;;
esac
[ "$aot" = 1 ] && command -v clang >/dev/null || native=none

# The plugin folder's program: no ICU (above), and no background GC thread, which a process that lives for tens of
# milliseconds never uses (README "Performance").
plugin_props=(-p:InvariantGlobalization=true -p:ConcurrentGarbageCollection=false)

# Builds go to DIR/.artifacts, so that publishing leaves the source tree's bin/ and obj/ (and a running test's build) alone.
publish() { # rid, output folder, extra properties
  dotnet publish src/PlexSync -c Release -r "$1" --artifacts-path "$out/.artifacts" -o "$2" \
    -p:DebugType=none -p:PublishDocumentationFiles=false "${@:3}"
}

for rid in "${rids[@]}"; do
  exe=plexsync; [[ $rid == win-* ]] && exe=plexsync.exe
  rm -rf "${out:?}/$rid" "$out/$rid-aot" "$out/stash-plugin-$rid" "$out/stash-plugin-$rid.tar.gz"
  echo "== $rid: single file" >&2
  publish "$rid" "$out/$rid" --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true
  if [ "$aot_program" = 1 ] && [ "$rid" = "$native" ]; then
    echo "== $rid: the program with Native AOT" >&2
    publish "$rid" "$out/$rid-aot" -p:PublishAot=true
    rm -f "$out/$rid-aot/plexsync.dbg"
  fi
  plugin="$out/stash-plugin-$rid/plexsync"
  mkdir -p "$plugin"
  cp stash-plugin/plexsync.yml plexsync.example.yaml "$plugin/"
  if [ "$rid" = "$native" ]; then
    echo "== $rid: Native AOT for the plugin folder" >&2
    publish "$rid" "$out/$rid-plugin" -p:PublishAot=true "${plugin_props[@]}"
    # The program and the Temporal core library it loads; not the debug symbols (plexsync.dbg).
    cp "$out/$rid-plugin/plexsync" "$out/$rid-plugin"/lib*.so "$plugin/"
  else
    echo "== $rid: single file for the plugin folder" >&2
    publish "$rid" "$out/$rid-plugin" --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true "${plugin_props[@]}"
    cp "$out/$rid-plugin/$exe" "$plugin/"
  fi
  tar -czf "$out/stash-plugin-$rid.tar.gz" -C "$out/stash-plugin-$rid" plexsync
  echo "$rid: $out/$rid/$exe, plugin folder $plugin (and $out/stash-plugin-$rid.tar.gz)" >&2
done
