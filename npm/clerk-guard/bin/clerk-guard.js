#!/usr/bin/env node
// The `clerk-guard` command of the npm package: finds the prebuilt binary for this machine in
// the matching platform package (an optional dependency that npm installs only where its
// `os`/`cpu`/`libc` fit) and runs it with the same arguments, stdio and exit status.
//
// CLERK_GUARD_BINARY=/path/to/clerk-guard runs that binary instead (a local build).
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const SCOPE = "@clerk-guard";
const platforms = require("../platforms.json");
const { version } = require("../package.json");

/** `glibc` or `musl` on Linux (a musl Node has no glibc version in its report), else null. */
function linuxLibc() {
  if (process.platform !== "linux") return null;
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === "string" ? JSON.parse(report) : report).header;
    if (header && header.glibcVersionRuntime) return "glibc";
  } catch (_) {
    // Fall through to the loader check.
  }
  try {
    if (fs.readdirSync("/lib").some((f) => f.startsWith("ld-musl-"))) return "musl";
  } catch (_) {
    // No /lib: assume glibc.
  }
  return "musl";
}

/** The platform packages that can run here, best first. */
function candidates() {
  const libc = linuxLibc();
  const fits = Object.keys(platforms)
    .filter((key) => !key.startsWith("/"))
    .filter((key) => platforms[key].os === process.platform && platforms[key].cpu === process.arch);
  // On Linux the matching libc first; a musl binary is static and also runs on glibc systems.
  return fits.sort((a, b) => rank(platforms[a]) - rank(platforms[b]));
  function rank(p) {
    if (!p.libc) return 0;
    return p.libc === libc ? 0 : p.libc === "musl" ? 1 : 2;
  }
}

function findBinary() {
  const override = process.env.CLERK_GUARD_BINARY;
  if (override) return { binary: override };
  const tried = [];
  for (const key of candidates()) {
    const name = `${SCOPE}/${key}`;
    tried.push(name);
    let dir;
    try {
      dir = path.dirname(require.resolve(`${name}/package.json`));
    } catch (_) {
      continue;
    }
    const binary = path.join(dir, "bin", platforms[key].bin);
    if (fs.existsSync(binary)) return { binary };
  }
  return { tried };
}

function fail(message) {
  process.stderr.write(`clerk-guard: ${message}\n`);
  process.exit(2);
}

const found = findBinary();
if (!found.binary) {
  const here = `${process.platform}-${process.arch}${linuxLibc() ? ` (${linuxLibc()})` : ""}`;
  if (found.tried.length === 0) {
    const supported = Object.keys(platforms).filter((k) => !k.startsWith("/"));
    fail(
      `no prebuilt binary for ${here}. Supported platforms: ${supported.join(", ")}. ` +
        "Install from source instead: cargo install --locked clerk-guard",
    );
  }
  fail(
    `the platform package ${found.tried[0]} is not installed, so there is no clerk-guard ` +
      `binary for ${here}. It is an optional dependency of clerk-guard@${version}: reinstall ` +
      "without --no-optional / --omit=optional (a lockfile written on another platform can " +
      `also leave it out), or add it: npm install --save-dev ${found.tried[0]}@${version}`,
  );
}

const child = spawnSync(found.binary, process.argv.slice(2), { stdio: "inherit" });
if (child.error) {
  fail(`cannot run ${found.binary}: ${child.error.message}`);
}
if (child.signal) {
  // Die of the same signal, as a shell would report it.
  process.kill(process.pid, child.signal);
}
process.exit(child.status === null ? 2 : child.status);
