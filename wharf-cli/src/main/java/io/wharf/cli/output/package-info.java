/**
 * How the CLI talks to a human or a script: terminal detection (colours only on a terminal,
 * never with NO_COLOR or TERM=dumb), aligned tables, ages, JSON/YAML documents with secret
 * values redacted. Renderers are pure functions from values to text so tests compare strings.
 */
package io.wharf.cli.output;
