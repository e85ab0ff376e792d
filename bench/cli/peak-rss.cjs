/*
 * Preloaded into the CLI by memory.mjs (node --require): writes the
 * process's peak resident set size and CPU time to the file named by
 * AKS_BASELINE_BENCH_USAGE when it exits, however it exits.
 */
const fs = require('node:fs');

process.on('exit', () => {
  const usage = process.resourceUsage();
  fs.writeFileSync(
    process.env.AKS_BASELINE_BENCH_USAGE,
    JSON.stringify({
      maxRssKiB: usage.maxRSS,
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
    }),
  );
});
