// compile.mjs compiles gridnode's contracts with the pinned solc-js and writes
// <Name>.abi and <Name>.bin for each of them into the directory given as the
// only argument. Settings are fixed so that the output is byte-for-byte
// reproducible: hack/check-contracts relies on it.
//
// Usage: node contracts/compile.mjs <outdir>

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require(join(here, "node_modules", "solc"));

const contracts = ["Token", "Registry", "Market"];

// Keep in sync with docs/contracts.md ("Build").
const settings = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 10000 },
  viaIR: false,
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};

function fail(msg) {
  process.stderr.write(`compile.mjs: ${msg}\n`);
  process.exit(1);
}

const outdir = process.argv[2];
if (!outdir || process.argv.length !== 3) fail("usage: node compile.mjs <outdir>");

// Source units are named relative to contracts/ ("src/Market.sol") so that
// nothing machine-specific reaches the compiler.
const sources = {};
for (const name of contracts) {
  const unit = `src/${name}.sol`;
  sources[unit] = { content: readFileSync(join(here, unit), "utf8") };
}

// findImports resolves "@openzeppelin/..." from node_modules and anything else
// relative to contracts/, refusing paths that leave those directories.
function findImports(path) {
  const roots = path.startsWith("@") ? [join(here, "node_modules")] : [here];
  for (const root of roots) {
    const file = resolve(root, normalize(path));
    if (!file.startsWith(root + "/")) return { error: `import outside ${root}: ${path}` };
    try {
      return { contents: readFileSync(file, "utf8") };
    } catch (err) {
      return { error: `import ${path}: ${err.message}` };
    }
  }
  return { error: `import ${path}: not found` };
}

const input = { language: "Solidity", sources, settings };
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

// Errors anywhere fail the build. Warnings are shown for our own sources only:
// OpenZeppelin's are theirs to fix (TransientSlot's tstore note, for one).
let failed = false;
for (const e of output.errors ?? []) {
  const file = e.sourceLocation?.file ?? "";
  if (e.severity !== "error" && file.startsWith("@")) continue;
  process.stderr.write(e.formattedMessage ?? `${e.severity}: ${e.message}\n`);
  if (e.severity === "error") failed = true;
}
if (failed) fail(`solc ${solc.version()} reported errors`);

mkdirSync(outdir, { recursive: true });
for (const name of contracts) {
  const c = output.contracts?.[`src/${name}.sol`]?.[name];
  if (!c) fail(`no output for ${name}`);
  const bin = c.evm?.bytecode?.object;
  if (!bin) fail(`empty bytecode for ${name}`);
  writeFileSync(join(outdir, `${name}.abi`), JSON.stringify(c.abi) + "\n");
  writeFileSync(join(outdir, `${name}.bin`), bin + "\n");
}
process.stderr.write(`compile.mjs: solc ${solc.version()}: ${contracts.join(", ")} -> ${outdir}\n`);
