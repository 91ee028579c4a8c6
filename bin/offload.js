#!/usr/bin/env node
require('../dist/src/client/cli.js');
