#!/bin/sh
# setup.sh — installs what ConvStudio needs on Debian 12, builds it, then runs it or its tests.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tools/setup.sh run    build and launch the app on Fashion-MNIST
#   tools/setup.sh test   build and run the whole test suite (widget tests under Xvfb), then
#                         run it again built with AddressSanitizer and UBSan
#   tools/setup.sh build  only install and build
#
# Idempotent: apt runs only when a package is missing; meson reconfigures only when needed.

set -eu

mode=${1:-run}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/.." && pwd)
build=${CONVSTUDIO_BUILD_DIR:-$top/build}
sanitize_build=${CONVSTUDIO_SANITIZE_BUILD_DIR:-$top/build-sanitize}

packages="build-essential meson ninja-build pkg-config gettext
  libgtk-4-dev libopenblas-dev libjson-glib-dev zlib1g-dev librsvg2-common
  desktop-file-utils appstream xvfb xauth dbus dbus-x11 fonts-nanum
  dataset-fashion-mnist"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $package"
  fi
done

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
  fi
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top"
fi
ninja -C "$build"

case "$mode" in
  run)
    # Run from the build tree: schemas and resources come from there.
    GSETTINGS_SCHEMA_DIR="$build/data" exec "$build/src/app/convstudio" "$@"
    ;;
  test)
    run_tests () {
      dir=$1
      shift
      xvfb-run -a -s "-screen 0 1280x800x24" \
        dbus-run-session -- meson test -C "$dir" --print-errorlogs --num-processes 2 "$@"
    }
    run_tests "$build"

    # The same tests built with AddressSanitizer and UBSan. Leaks are checked everywhere but
    # in the widget tests, where GTK's per-process caches would drown them.
    if [ ! -f "$sanitize_build/build.ninja" ]; then
      meson setup "$sanitize_build" "$top" -Db_sanitize=address,undefined -Db_lundef=false
    fi
    ninja -C "$sanitize_build"
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
      run_tests "$sanitize_build" --no-suite app --timeout-multiplier 4
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
      run_tests "$sanitize_build" --suite app --timeout-multiplier 4
    ;;
  build)
    ;;
  *)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
