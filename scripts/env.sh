# Sourced by Wharf's scripts: finds a JDK >= 21 and exports JAVA_HOME and PATH.
# The machine's default java may be older (Debian 12 ships 17); look in the usual places.
wharf_java_major() { "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2,v,"."); print (v[1]=="1"?v[2]:v[1]); exit}'; }
wharf_find_jdk() {
  local c
  for c in "${WHARF_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    local m; m=$(wharf_java_major "$c")
    if [ -n "$m" ] && [ "$m" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
if ! WHARF_JDK=$(wharf_find_jdk); then
  echo "wharf: no JDK 21 or newer found; set WHARF_JAVA_HOME or install one (e.g. apt-get install openjdk-21-jdk-headless)" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$WHARF_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Quiet builds and runs. Maven's Jansi writes bare colour resets (ESC[0m) to stdout and stderr
# even in batch mode unless told not to. JDK 24+ warns on stderr when a library uses
# sun.misc.Unsafe memory access (Maven's Guava, protobuf in jetcd) or native access (Jansi,
# Netty): allow them quietly there; older JDKs do not know the flags. WHARF_JAVA_OPTS_QUIET is
# for the java that runs Wharf itself; MAVEN_OPTS for Maven's own JVM.
WHARF_JAVA_MAJOR=$(wharf_java_major "$JAVA_HOME")
export WHARF_JAVA_MAJOR
WHARF_JAVA_OPTS_QUIET=""
if [ "$WHARF_JAVA_MAJOR" -ge 24 ] 2>/dev/null; then
  WHARF_JAVA_OPTS_QUIET="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
case " ${MAVEN_OPTS:-} " in
  *" -Djansi.noreset=true "*) ;;
  *) MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true${WHARF_JAVA_OPTS_QUIET:+ $WHARF_JAVA_OPTS_QUIET}" ;;
esac
export MAVEN_OPTS
