'use strict';
// Loads the compiled addon; throws when it was not built (the caller falls back to node crypto).
module.exports = require('./build/Release/irescue_native.node');
