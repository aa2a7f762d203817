#!/usr/bin/env node
// The `kopf` command. A committed shim so that npm can link the binary before the
// TypeScript sources are built. It imports the package's own `./bin` export: the
// built dist/entry.js, or src/entry.ts when Node runs with the `@kopf/source`
// condition and tsx (how the repository's tests run it without a build).
import '@kopf/cli/bin';
