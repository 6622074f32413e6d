"""`make bench`: the suite and the simulator measured against their floors."""
