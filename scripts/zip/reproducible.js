// Byte-reproducible zips: the same files give the same bytes, on any machine and at any time, so
// a reviewer can rebuild a release and compare hashes (docs/releasing.md).
'use strict';

const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');
const AdmZip = require('adm-zip');

/**
 * Every entry's modification time: 1980-01-01 00:00, the earliest a zip can hold, written as the
 * raw DOS date and time so that the machine's time zone cannot change it.
 */
const FIXED_DOS_TIME = ((1 << 5) | 1) << 16;

const TYPE = { file: 0o100000, directory: 0o040000, symlink: 0o120000 };

/**
 * The Unix mode an entry keeps: its type (file, directory, symlink) and whether it is executable;
 * owner, group and umask bits of the machine that built it are dropped.
 */
const stableMode = (mode, isDirectory) => {
  if (isDirectory) return TYPE.directory | 0o755;
  if ((mode & 0o170000) === TYPE.symlink) return TYPE.symlink | 0o777;
  return TYPE.file | (mode & 0o111 ? 0o755 : 0o644);
};

/**
 * Writes `files` ({name, data, mode}) to a zip at `target`: in name order, every entry with the
 * fixed time and a stable mode, no comments and no extra fields.
 */
const writeReproducibleZip = (target, files) => {
  const zip = new AdmZip();
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entry = zip.addFile(file.name, file.data);
    entry.attr = (stableMode(file.mode, entry.isDirectory) << 16) >>> 0;
    entry.header.timeval = FIXED_DOS_TIME;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, zip.toBuffer(), { mode: 0o644 });
  fs.chmodSync(target, 0o644);
  return target;
};

/** Rewrites a zip (the Zapier CLI's build.zip, stamped with file times) reproducibly. */
const rewriteReproducibly = (zipPath) =>
  writeReproducibleZip(
    zipPath,
    new AdmZip(zipPath).getEntries().map((entry) => ({
      name: entry.entryName,
      data: entry.isDirectory ? Buffer.alloc(0) : entry.getData(),
      mode: entry.attr >>> 16,
    })),
  );

module.exports = { writeReproducibleZip, rewriteReproducibly, FIXED_DOS_TIME };
