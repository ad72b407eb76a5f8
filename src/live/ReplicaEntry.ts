/**
 * ReplicaEntry: the entry point of the bundled replica (ReplicaBundle.ts) — `node live-replica.mjs
 * SERVICE` runs exactly what `starcoffee serve --service SERVICE` runs under the supervisor
 * (ReplicaMain.ts), without the command line around it.
 */
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import { runReplicaMain } from "./ReplicaMain.js"

void runReplicaMain(process.argv[2] as ServiceName)
