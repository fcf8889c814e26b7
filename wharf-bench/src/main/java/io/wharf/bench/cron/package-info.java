/** The cron benchmark: firing lateness of many cron jobs due in the same minute. */
package io.wharf.bench.cron;
