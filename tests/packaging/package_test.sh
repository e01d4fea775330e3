#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `make install` and the .deb put on a machine, and that it runs from there.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR WORKDIR CMAKE CPACK
set -u
build=$1 src=$2 work=$3 cmake=$4 cpack=$5
rm -rf "$work" && mkdir -p "$work"
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi; }

# make install: cmake --install honours the prefix and DESTDIR.
DESTDIR="$work/destdir" "$cmake" --install "$build" --prefix /opt/vpcprove >"$work/install.log" 2>&1
check "cmake --install with DESTDIR and a prefix" [ $? = 0 ]
d="$work/destdir/opt/vpcprove"
check "  …installs vpcprove and vpcprove-collect, executable" [ -x "$d/bin/vpcprove" ] && [ -x "$d/bin/vpcprove-collect" ]
check "  …and the specs library and the IAM policy under share/vpcprove" \
  bash -c "[ -f '$d/share/vpcprove/specs/cis-aws-foundations.yaml' ] && [ -f '$d/share/vpcprove/specs/naa/igw-to-all-enis.json' ] && jq -e .Statement '$d/share/vpcprove/vpcprove-collect-policy.json' >/dev/null"
check "  …and nothing outside the prefix" bash -c "[ \"\$(ls '$work/destdir')\" = opt ]"

# cpack -G DEB
(cd "$work" && "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/cpack") >"$work/cpack.log" 2>&1
check "cpack -G DEB" [ $? = 0 ] || cat "$work/cpack.log"
deb=$(ls "$work"/cpack/vpcprove_*.deb 2>/dev/null | head -1)
check "  …makes vpcprove_VERSION_ARCH.deb" [ -n "$deb" ]
[ -n "$deb" ] || exit 1
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
check "  …holding /usr/bin/vpcprove, /usr/bin/vpcprove-collect and /usr/share/vpcprove/specs" \
  bash -c "grep -qx './usr/bin/vpcprove' '$work/contents' && grep -qx './usr/bin/vpcprove-collect' '$work/contents' && grep -q '^./usr/share/vpcprove/specs/cis-aws-foundations.yaml\$' '$work/contents'"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# Every shared library the binary loads comes from a package in Depends (dpkg -S names it).
missing=""
for lib in $(ldd "$build/vpcprove" | awk '/=>/ {print $3}'); do
  pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || continue # not from a package (a local build): nothing to check
  sed -E 's/\([^)]*\)//g; s/[ ,]+/\n/g' <<<"$depends" | grep -qxF "$pkg" || missing="$missing $pkg($lib)"
done
check "Depends names the package of every library vpcprove links${missing:+: missing$missing}" [ -z "$missing" ]
for pkg in $(sed -E 's/\([^)]*\)//g; s/,/ /g' <<<"$depends"); do
  check "  …$pkg is a Debian package installed here" bash -c "dpkg-query -W -f='\${Status}' '$pkg' 2>/dev/null | grep -q 'install ok installed'"
done

# Installed into a scratch root, it runs: --version and the demo question of the README.
root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/vpcprove" --version >"$work/version" 2>&1
check "the packaged vpcprove --version" grep -q "^vpcprove $(dpkg-deb -f "$deb" Version)" "$work/version"
check "the packaged vpcprove-collect --version" bash -c "'$root/usr/bin/vpcprove-collect' --version | grep -q '^vpcprove-collect '"
"$root/usr/bin/vpcprove" reach "$src/examples/primer" --from private-subnets --to internet >"$work/demo" 2>&1
rc=$?
check "the demo question (make demo) answers reachable from the package (exit $rc)" \
  bash -c "[ $rc = 0 ] && grep -q '^reachable' '$work/demo'"
"$root/usr/bin/vpcprove" check "$src/examples/primer" --spec "$root/usr/share/vpcprove/specs/cis-aws-foundations.yaml" >"$work/check" 2>&1
rc=$?
check "the packaged specs library checks the example (exit $rc)" bash -c "[ $rc = 0 ] || [ $rc = 1 ]"
exit $fail
