// Preloaded (`node --import`) into the yara-gen and tsc processes the generator benchmark times:
// at exit it prints the CPU time (user + system) the process used, which a loaded machine
// inflates far less than the wall time.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`yara-bench-cpu-ms ${(user + system) / 1000}\n`);
});
