"""``python -m generator``."""

import gc

from generator.cli import main

# A run builds many small objects it keeps to the end (the parsed spec, the IR, the models' text), so
# the default young-generation threshold (700) makes the collector walk them again and again: 6-10 %
# of the CPU time of a 1,000- to 5,000-operation spec. The command only; a library caller keeps theirs.
gc.set_threshold(100_000, 50, 100)

raise SystemExit(main())
