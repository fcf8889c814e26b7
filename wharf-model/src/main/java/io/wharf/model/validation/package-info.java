/**
 * Validation vocabulary: a {@link io.wharf.model.validation.Problem} is one thing wrong with an
 * input, with the field path it is at; name and label rules; did-you-mean suggestions.
 */
package io.wharf.model.validation;
