// D/scenario.jsonl: one JSON object per mined block (fields documented in README.md, "Scenarios").
'use strict';
const fs = require('fs');

class Journal {
  constructor(file) {
    this.fd = fs.openSync(file, 'w');
  }
  write(record) {
    fs.writeSync(this.fd, JSON.stringify(record, (k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
  }
  close() {
    fs.closeSync(this.fd);
  }
}

module.exports = { Journal };
