#!/usr/bin/env node
// Build the npm packages from release binaries:
//
//   node npm/scripts/build-packages.mjs --out DIR [--version X.Y.Z] [--all]
//        [--binary PLATFORM=PATH]... [--binaries DIR]
//
// PLATFORM is a key of npm/clerk-guard/platforms.json (`linux-x64-gnu`, `win32-x64`, ...).
// `--binaries DIR` takes DIR/<rust target>/clerk-guard[.exe] for every platform found there.
// `--all` fails unless every platform has a binary (the release does this).
// Writes DIR/clerk-guard (the launcher package) and DIR/<platform> (one per binary), each with
// the same version: by default the crate's, from Cargo.toml. Publish or `npm pack` them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const npmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(npmDir, "..");
const SCOPE = "@clerk-guard";

function die(message) {
  console.error(`build-packages: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { binaries: {}, all: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) die(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--out") opts.out = path.resolve(value());
    else if (arg === "--version") opts.version = value();
    else if (arg === "--all") opts.all = true;
    else if (arg === "--binaries") opts.binariesDir = path.resolve(value());
    else if (arg === "--binary") {
      const spec = value();
      const eq = spec.indexOf("=");
      if (eq < 1) die(`--binary wants PLATFORM=PATH, not ${spec}`);
      opts.binaries[spec.slice(0, eq)] = path.resolve(spec.slice(eq + 1));
    } else die(`unknown argument ${arg}`);
  }
  if (!opts.out) die("--out DIR is required");
  return opts;
}

function crateVersion() {
  const toml = fs.readFileSync(path.join(repo, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith("package]"));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) die("no [package] version in Cargo.toml");
  return m[1];
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const opts = parseArgs(process.argv.slice(2));
const version = opts.version || crateVersion();
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) die(`not a version: ${version}`);
const platforms = JSON.parse(fs.readFileSync(path.join(npmDir, "clerk-guard/platforms.json"), "utf8"));
const keys = Object.keys(platforms).filter((k) => !k.startsWith("/"));

if (opts.binariesDir) {
  for (const key of keys) {
    const candidate = path.join(opts.binariesDir, platforms[key].target, platforms[key].bin);
    if (fs.existsSync(candidate) && !opts.binaries[key]) opts.binaries[key] = candidate;
  }
}
for (const key of Object.keys(opts.binaries)) {
  if (!platforms[key]) die(`unknown platform ${key} (known: ${keys.join(", ")})`);
  if (!fs.statSync(opts.binaries[key], { throwIfNoEntry: false })?.isFile()) {
    die(`no binary at ${opts.binaries[key]}`);
  }
}
if (opts.all) {
  const missing = keys.filter((k) => !opts.binaries[k]);
  if (missing.length) die(`no binary for ${missing.join(", ")}`);
}
if (Object.keys(opts.binaries).length === 0) die("no binaries given (--binary or --binaries)");

fs.mkdirSync(opts.out, { recursive: true });
const license = fs.readFileSync(path.join(repo, "LICENSE"));
const readme = fs.readFileSync(path.join(npmDir, "README.md"), "utf8");

// The launcher package.
const main = path.join(opts.out, "clerk-guard");
fs.rmSync(main, { recursive: true, force: true });
fs.mkdirSync(path.join(main, "bin"), { recursive: true });
const manifest = JSON.parse(fs.readFileSync(path.join(npmDir, "clerk-guard/package.json"), "utf8"));
manifest.version = version;
manifest.optionalDependencies = Object.fromEntries(keys.map((k) => [`${SCOPE}/${k}`, version]));
writeJson(path.join(main, "package.json"), manifest);
fs.copyFileSync(path.join(npmDir, "clerk-guard/bin/clerk-guard.js"), path.join(main, "bin/clerk-guard.js"));
fs.chmodSync(path.join(main, "bin/clerk-guard.js"), 0o755);
fs.copyFileSync(path.join(npmDir, "clerk-guard/platforms.json"), path.join(main, "platforms.json"));
fs.writeFileSync(path.join(main, "README.md"), readme);
fs.writeFileSync(path.join(main, "LICENSE"), license);
console.log(`${main} (clerk-guard@${version})`);

// One package per platform binary.
for (const [key, binary] of Object.entries(opts.binaries)) {
  const p = platforms[key];
  const dir = path.join(opts.out, key);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  const pkg = {
    name: `${SCOPE}/${key}`,
    version,
    description: `The clerk-guard binary for ${p.target} (installed by the clerk-guard package)`,
    license: manifest.license,
    repository: manifest.repository,
    homepage: manifest.homepage,
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    files: [`bin/${p.bin}`, "README.md", "LICENSE"],
    preferUnplugged: true,
  };
  writeJson(path.join(dir, "package.json"), pkg);
  fs.copyFileSync(binary, path.join(dir, "bin", p.bin));
  fs.chmodSync(path.join(dir, "bin", p.bin), 0o755);
  fs.writeFileSync(
    path.join(dir, "README.md"),
    `# ${pkg.name}\n\nThe prebuilt \`clerk-guard\` binary for \`${p.target}\`. Install the ` +
      "[`clerk-guard`](https://www.npmjs.com/package/clerk-guard) package instead: it picks " +
      "this one on matching machines.\n",
  );
  fs.writeFileSync(path.join(dir, "LICENSE"), license);
  console.log(`${dir} (${pkg.name}@${version})`);
}
