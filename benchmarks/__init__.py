"""The benchmarks: `run.py` measures every command on generated programmes, `generate.py`
makes them (the tests use it too, as `benchmarks.generate`)."""
