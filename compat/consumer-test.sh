#!/usr/bin/env bash
# What a Java team does to adopt gitops, end to end, without touching ~/.m2:
#   1. a fresh clone of this repository (its committed HEAD),
#   2. `mvn -B install` of the library's modules into a private local repository,
#   3. a separate consumer project (compat/consumer) that uses only the README's coordinates (the
#      BOM, then the modules) compiles and runs the README's examples, word for word
#      (compat/readme_examples.py copies them out of README.md), in four setups:
#        core-ssh       core + ssh adapter: the runtime classpath is measured, Bouncy Castle absent
#        plain          + k8s adapter with fabric8's default HTTP client; the push example deploys to
#                       fabric8's mock API server, which runs in a process of its own
#        jackson-floor  core + ssh adapter on the lowest supported Jackson (2.16.0), and proof that
#                       the floor is real: the same consumer fails on 2.15.4
#        spring-boot    under the Spring Boot 3.5 BOM: core + ssh + k8s adapter with fabric8's JDK
#                       HTTP client and the README's one override (jackson-annotations >= 2.22)
#
# The private local repository is seeded from ~/.m2/repository (read as a file:// repository, so
# nothing is written there), then from Maven Central. Third-party artifacts it had to download are
# kept in ~/.cache/gitops-compat/repository for the next (possibly offline) run.
#
# Environment: GITOPS_COMPAT_OFFLINE=true   run Maven offline (file:// seeds only; the default when
#                                           the Maven that runs this script runs offline)
#              GITOPS_COMPAT_TESTS=true     run the library's tests in the install step too
#                                           (the build that calls this script has just run them)
#              GITOPS_COMPAT_KEEP=true      keep the work directory
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# GITOPS_COMPAT_WORK=DIR (implies KEEP): work there, and reuse its installed gitops when present
if [ -n "${GITOPS_COMPAT_WORK:-}" ]; then work=$GITOPS_COMPAT_WORK; GITOPS_COMPAT_KEEP=true; mkdir -p "$work"
else work=$(mktemp -d "${TMPDIR:-/tmp}/gitops-consumer.XXXXXX"); fi
seed=${GITOPS_COMPAT_SEED:-$HOME/.m2/repository}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gitops-compat/repository
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  if [ "${GITOPS_COMPAT_KEEP:-false}" = true ]; then echo "consumer-test: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { echo "consumer-test: $*"; }
fail() { echo "consumer-test: FAILED: $*" >&2; exit 1; }

mkdir -p "$cache"
cat > "$work/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>seeds</id>
      <repositories>
        <repository><id>seed-m2</id><url>file://$seed</url><snapshots><enabled>false</enabled></snapshots></repository>
        <repository><id>seed-cache</id><url>file://$cache</url><snapshots><enabled>false</enabled></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>seed-m2</id><url>file://$seed</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
        <pluginRepository><id>seed-cache</id><url>file://$cache</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>seeds</activeProfile></activeProfiles>
</settings>
XML
mvn_args=(-B -q -s "$work/settings.xml" "-Dmaven.repo.local=$work/repository")
# Called by Maven (module compat)? Then be offline when it is (mvn exports its command line).
case " ${MAVEN_CMD_LINE_ARGS:-} " in *" -o "*|*" --offline "*) GITOPS_COMPAT_OFFLINE=${GITOPS_COMPAT_OFFLINE:-true} ;; esac
if [ "${GITOPS_COMPAT_OFFLINE:-false}" = true ]; then mvn_args+=(-o -Daether.offline.protocols=file); fi

# 1. A fresh clone: what is committed, nothing else.
if [ -d "$work/repository/dev/gitops/gitops-core" ]; then
  step "reusing the install in $work"
else
rm -rf "$work/gitops"
git clone --quiet --no-local "$root" "$work/gitops"
step "fresh clone of $(git -C "$work/gitops" rev-parse --short HEAD)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  step "note: uncommitted changes in $root are not part of this test"
fi

# 2. mvn -B install, into the private local repository.
# The library's modules and the parent and BOM they need (-am): what a consumer's coordinates name. The samples
# (the command line) and the benchmarks are no artifacts a consumer depends on; the build that calls this
# script has just built and tested them.
install_args=(install -pl gitops-bom,gitops-core,gitops-ssh-adapter,gitops-k8s-adapter,gitops-testing,gitops-micrometer -am
  -Dgitops.compat.skip=true)
if [ "${GITOPS_COMPAT_TESTS:-false}" != true ]; then install_args+=(-DskipTests); fi
start=$SECONDS
(cd "$work/gitops" && mvn "${mvn_args[@]}" "${install_args[@]}") > "$work/install.log" 2>&1 \
  || { tail -50 "$work/install.log"; fail "mvn install"; }
step "mvn -B ${install_args[*]}: $((SECONDS - start)) s"
for a in gitops-bom gitops-core gitops-ssh-adapter gitops-k8s-adapter gitops-testing gitops-micrometer; do
  ls "$work/repository/dev/gitops/$a/"*/ >/dev/null 2>&1 || fail "$a was not installed"
done
for a in gitops-core gitops-ssh-adapter gitops-k8s-adapter gitops-testing gitops-micrometer; do
  ls "$work/repository/dev/gitops/$a/"*/"$a"-*-sources.jar "$work/repository/dev/gitops/$a/"*/"$a"-*-javadoc.jar \
    >/dev/null 2>&1 || fail "$a: no sources or javadoc jar installed"
done
fi

# 3. The README's coordinates: the version its dependency section names.
readme="$work/gitops/README.md"
version=$(sed -n '/<artifactId>gitops-bom<\/artifactId>/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' "$readme" | head -1)
[ -n "$version" ] || fail "README.md names no gitops-bom version"
step "README coordinates: dev.gitops:gitops-bom:$version"
rm -rf "$work/consumer" "$work"/classes-* "$work"/run-* "$work/mock-url" "$work/mock-stdin"
cp -r "$here/consumer" "$work/consumer"
python3 "$here/readme_examples.py" "$readme" "$work/consumer/src/main/java"
consumer() { (cd "$work/consumer" && mvn "${mvn_args[@]}" "-Dgitops.version=$version" "$@"); }
classpath() {   # profile, extra args -> $work/cp-<profile>.txt
  local p=$1; shift
  consumer -P"$p" "$@" clean compile dependency:build-classpath -Dmdep.includeScope=runtime \
    "-Dmdep.outputFile=$work/cp-$p.txt" > "$work/build-$p.log" 2>&1 || { tail -40 "$work/build-$p.log"; fail "consumer ($p) did not build"; }
  cp -r "$work/consumer/target/classes" "$work/classes-$p"
}
run() {   # profile, java args...
  local p=$1; shift
  java -cp "$work/classes-$p:$(cat "$work/cp-$p.txt")" "$@"
}

# core + ssh adapter: the README examples, and the runtime classpath they need.
classpath core-ssh
grep -q bouncycastle "$work/cp-core-ssh.txt" && fail "Bouncy Castle is on the core + ssh runtime classpath"
jars=$(tr ':' '\n' < "$work/cp-core-ssh.txt" | grep -c .)
bytes=$(tr ':' '\n' < "$work/cp-core-ssh.txt" | xargs stat -c %s | awk '{s += $1} END {print s}')
step "core + ssh adapter runtime classpath: $jars jars, $(awk -v b="$bytes" 'BEGIN {printf "%.1f MiB", b / 1048576}')"
run core-ssh example.Main "$work/run-core-ssh" || fail "README examples (core + ssh)"

# + k8s adapter, fabric8's default client; the mock API server in its own process.
classpath plain
mkfifo "$work/mock-stdin"
run plain example.mock.MockApiServer "$work/mock-url" < "$work/mock-stdin" > "$work/mock.log" 2>&1 &
mock_pid=$!
exec 9> "$work/mock-stdin"   # the mock serves until this closes
for _ in $(seq 1 600); do [ -s "$work/mock-url" ] && break; kill -0 "$mock_pid" 2>/dev/null || break; sleep 0.1; done
[ -s "$work/mock-url" ] || { cat "$work/mock.log"; fail "the mock API server did not start"; }
k8s=(-Dkubernetes.master="$(cat "$work/mock-url")" -Dkubernetes.auth.tryKubeConfig=false
     -Dkubernetes.auth.tryServiceAccount=false -Dkubernetes.namespace=default)
run plain "${k8s[@]}" example.Main "$work/run-plain" k8s || fail "README examples (core + ssh + k8s, default HTTP client)"

# The lowest supported Jackson, and the one below it.
classpath jackson-floor
grep -q "jackson-databind/2.16.0/" "$work/cp-jackson-floor.txt" || fail "jackson-floor did not resolve Jackson 2.16.0"
run jackson-floor example.Main "$work/run-floor" || fail "README examples on Jackson 2.16.0"
classpath jackson-floor -Djackson.floor=2.15.4
if run jackson-floor example.Main "$work/run-below" > "$work/below.log" 2>&1; then
  fail "the README examples ran on Jackson 2.15.4: the floor in README.md is wrong"
fi
# Either class that 2.16 added and the library uses: StreamWriteConstraints (the nesting depth of the JSON it
# writes) or Separators$Spacing (the plan JSON), whichever the examples load first.
grep -q -E '(NoClassDefFoundError|ClassNotFoundException).*jackson.core.(StreamWriteConstraints|util.Separators\$Spacing)' \
  "$work/below.log" || { cat "$work/below.log"; fail "Jackson 2.15.4 failed for another reason"; }
step "Jackson 2.15.4 fails as documented (StreamWriteConstraints, Separators\$Spacing): 2.16.0 is the floor"

# A Spring Boot 3.5 application.
classpath spring-boot
grep -q "jackson-databind/2.19" "$work/cp-spring-boot.txt" || fail "spring-boot: Jackson is not the BOM's 2.19"
grep -q "netty" "$work/cp-spring-boot.txt" && fail "spring-boot: Netty on the classpath (the JDK HTTP client needs none)"
run spring-boot "${k8s[@]}" example.Main "$work/run-boot" k8s || fail "README examples under the Spring Boot 3.5 BOM"

exec 9>&-
wait "$mock_pid" 2>/dev/null || true
mock_pid=
# Keep what had to be downloaded for the next run (never our own artifacts, never into ~/.m2).
tar -C "$work/repository" --exclude './dev/gitops' --exclude '_remote.repositories' --exclude '*.lastUpdated' \
  --exclude 'resolver-status.properties' --exclude 'maven-metadata-*' -cf - . | tar -C "$cache" --skip-old-files -xf -
step "all green"
