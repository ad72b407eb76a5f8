// `node --import ./test/support/forbid-effect.mjs …`: registers forbid-effect-hooks.mjs.
import { register } from "node:module"

register("./forbid-effect-hooks.mjs", import.meta.url)
