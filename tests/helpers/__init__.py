"""Helpers shared by the tests (and the benchmarks): knowledge files, the Bot API emulator,
a broadcast run, a hand-built matching base."""
