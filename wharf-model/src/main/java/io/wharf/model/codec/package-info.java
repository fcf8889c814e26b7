/**
 * JSON and YAML encoding of resources. Decoding never trusts the input: it reads a document
 * tree whose scalars are kept as text (so YAML 1.1 never turns {@code no} into false or
 * {@code 0777} into 511), converts every field itself and reports every problem with its path.
 */
package io.wharf.model.codec;
