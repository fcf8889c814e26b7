/** Quantities with a text syntax shared by stack files and JSON: durations, byte sizes, CPU. */
package io.wharf.model.quantity;
