/** {@code wharf cron ls|trigger|suspend|resume}: cron jobs as operators see and steer them. */
package io.wharf.cli.cron;
