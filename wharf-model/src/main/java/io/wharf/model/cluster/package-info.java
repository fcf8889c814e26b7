/** The machines and what runs on them: nodes (reported by agents) and instances (placed by the scheduler). */
package io.wharf.model.cluster;
