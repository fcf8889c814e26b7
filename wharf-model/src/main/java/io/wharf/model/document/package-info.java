/**
 * The untyped document layer under both codecs: YAML or JSON text becomes a {@link
 * io.wharf.model.document.Tree} whose scalars are still text, and {@link
 * io.wharf.model.document.Fields} converts fields to typed values, recording a {@link
 * io.wharf.model.validation.Problem} with the exact path for anything wrong. Nothing here
 * throws on bad input.
 */
package io.wharf.model.document;
