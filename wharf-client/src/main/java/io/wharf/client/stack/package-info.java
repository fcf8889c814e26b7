/**
 * Plans and apply results of stacks as the API returns them ({@code POST /v1/plan},
 * {@code POST /v1/apply}): which resources a stack file creates, updates or deletes, and which
 * fields change. Values only; rendering is the CLI's business.
 */
package io.wharf.client.stack;
