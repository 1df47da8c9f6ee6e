#!/usr/bin/env node
// Entry point of the `shishin` command: runs the TypeScript CLI through tsx's loader, so a fresh
// clone needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(path.join(here, '..', 'src', 'cli.ts'));
await main(process.argv.slice(2));
