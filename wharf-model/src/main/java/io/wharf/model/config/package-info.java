/** Configs and secrets: data given to tasks as env or files. Secret values never print. */
package io.wharf.model.config;
