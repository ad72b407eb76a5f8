/**
 * Seeds: one run seed flowing top-down (TigerBeetle's VOPR): each subsystem gets its own seed derived
 * from the run seed and the subsystem's name, so a change in how many draws one subsystem makes never
 * reshuffles another's, and a shrunk fault schedule leaves the workload's and the network's draws as
 * they were.
 */
import type { ServiceName } from "../services/ports/ServiceDirectory.js"

export interface RunSeeds {
  readonly run: number
  /** The workload's users: operations, think times, menus. */
  readonly workload: number
  /** Link latencies and losses. */
  readonly network: number
  /** The broker's delivery delays and duplicates. */
  readonly broker: number
  /** The cluster: probes, CPU per request, the autoscaler, and anything else on the root Random. */
  readonly cluster: number
  /** The kernel's ready-queue shuffle (when on). */
  readonly shuffle: number
  /** Each service's pods (each pod derives its own from this and its name). */
  readonly services: Readonly<Record<ServiceName, number>>
}

/** A 32-bit mix of a seed and a label (FNV-1a over the label, then a murmur3 finaliser). */
export const deriveSeed = (seed: number, label: string): number => {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  h = Math.imul(h ^ (seed / 0x1_0000_0000), 0x01000193) >>> 0
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

export const deriveSeeds = (run: number): RunSeeds => ({
  run,
  workload: deriveSeed(run, "workload"),
  network: deriveSeed(run, "network"),
  broker: deriveSeed(run, "broker"),
  cluster: deriveSeed(run, "cluster"),
  shuffle: deriveSeed(run, "shuffle"),
  services: {
    order: deriveSeed(run, "service/order"),
    payment: deriveSeed(run, "service/payment"),
    make: deriveSeed(run, "service/make"),
    mypage: deriveSeed(run, "service/mypage"),
    gateway: deriveSeed(run, "service/gateway")
  }
})
