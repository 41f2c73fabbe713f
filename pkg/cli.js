#!/usr/bin/env node
// Placeholder for the command-line interface (a later issue); the name is reserved in
// package.json "bin" so that installing the package already links it.
process.stderr.write('oscontainer: the command-line interface is not implemented yet\n');
process.exit(2);
