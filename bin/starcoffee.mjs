#!/usr/bin/env node
// The starcoffee command: loads the TypeScript CLI through tsx's ESM loader.
import { register } from "tsx/esm/api"

register()
await import("../src/cli/main.ts")
