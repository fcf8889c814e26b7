/**
 * Who the CLI is and what others may do: the credentials file ({@code $WHARF_HOME/credentials.json}),
 * and {@code wharf token}, {@code wharf user}, {@code wharf role} and {@code wharf policy}.
 */
package io.wharf.cli.access;
