/** Following the API's watch streams robustly: one loop shape for every stream the agent follows. */
package io.wharf.agent.watch;
