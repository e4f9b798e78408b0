"""``python -m generator``."""

import atexit
import gc
import os
import sys

from generator.cli import main

# A run is short and builds many small objects it keeps to the end (the parsed spec, the IR, the models'
# text): the cyclic collector would walk them again and again and free next to nothing. Off, a 5,000-operation
# spec takes 5-10 % less CPU for the same peak memory, and the helpers forked from this process (the model
# worker, the rule checks) start with it off too. The command only; a library caller keeps their own setting.
gc.disable()

status = main()
# The run is over: what is left is the interpreter's teardown, a last collection over everything this
# process still holds (10-25 ms on a 10-operation spec, more as specs grow). Exit handlers still run (they
# let go of helpers no run took, and remove temporary directories); then the process ends without it.
atexit._run_exitfuncs()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except OSError:  # the reader went away (a closed pipe): as the interpreter's own exit says
    status = status or 120
os._exit(status)
